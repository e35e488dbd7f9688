import type { z } from 'zod';
import type { FaultTarget, UndoSpec } from '../domain/fault.js';
import type { FaultPorts } from './fault-ports.js';

/** What a kind of fault is, as the guards, the commands and the record need to know it. */
export interface FaultTraits {
  /** Takes a replica out on purpose (the last-replica guard asks first). */
  takesReplica: boolean;
  /** While active, keeps a running replica from serving (the guard counts it as down). */
  keepsReplicaOut: boolean;
  /** Stays active until undone (a command without --for leaves it to `chaosdeck undo`). */
  holds: boolean;
  /** Can be given a window (--for, a dialog's duration) that ends it on time. */
  windowed: boolean;
  /** Ends its task: Swarm replaces it, so a recovery follows (kill, stop). */
  endsTask: boolean;
  /** Acts on the task's node, not its container (needs no container, no engine of the node). */
  onNode: boolean;
  /** Freezes the container's processes (the health pane shows since when). */
  freezes: boolean;
  /** Has no "until undone": a command without --for takes the default window (partition). */
  windowRequired: boolean;
}

/** Where an active fault lives: what `u` on a task, the faults bar and the lost-target watch go by. */
export type FaultHome = 'container' | 'service' | 'node' | 'nothing';

/** One parameter as the console's dialog asks for it (its name is the params key prepare reads). */
export interface FaultField {
  name: string;
  label: string;
  hint: string;
  /** What the dialog opens with, and what an empty field means (unless `emptyMeansNone`). */
  default?: string;
  /** Empty means something of its own ("until undone", "no jitter"): no default is put in. */
  emptyMeansNone?: boolean;
}

/** A flag of the scripted command (also an experiment argument), with its `--help` line. */
export interface FaultFlag {
  /** meow's name (camelCase); `--kebab-case` on the command line. */
  name: string;
  /** "--cpus C" as `--help` shows it. */
  usage: string;
  help: string;
}

/** A checked change, ready to apply, with the undo captured from the live target before it. */
export interface PreparedChange<U extends UndoSpec = UndoSpec> {
  params: Record<string, string | number>;
  undo: U;
  apply(): Promise<void>;
}

/**
 * How an undo ended: done; the target no longer exists; or its container died (killed, OOM) and
 * nothing is left to put back on it (Swarm's replacement starts from the service's own spec).
 */
export type UndoOutcome = 'done' | 'gone' | 'died';

/** Flags (or a `:` line's words read as flags) → the params prepare reads, or a usage error. */
export type ParamsResult = { params: Record<string, string> } | { error: string };

/**
 * Everything about one kind of fault, in one place: the key and the `:` command that start it,
 * its dialog, flags and parameters, its guards' traits, how it is applied and undone, the ledger's
 * check of its undo, and its line for the faults bar, journal and report. The registry lists the
 * modules; nothing else names a kind.
 */
export interface FaultModule<U extends UndoSpec = UndoSpec> {
  /** The name: the scripted command, the `:` command, the experiment action, the ledger's kind. */
  kind: string;
  /** The console key (tasks and health panes). */
  key: string;
  /** One or two words for the footer. */
  label: string;
  /** What the key does, for `?` and docs/keys.md. */
  help: string;
  traits: FaultTraits;
  /** The dialog's fields, in order. */
  fields: FaultField[];
  /** The scripted command's own flags. */
  flags: FaultFlag[];
  /** What its command's TARGET names: a task (the default) or a node (partition labw1). */
  commandTarget?: 'task' | 'node';
  /** Other names the `:` line takes for it ("mem"). */
  aliases?: string[];
  /** What follows the `:` command, for its hint: "CPUS [container|service] [DURATION]". */
  lineArgs: string;
  /** The `:` line's words after the name → flags (`for` for a duration), or what is wrong. */
  lineWords(words: string[]): Record<string, string> | string;
  /** Its flags (already known to be its own) → params, or a usage error. */
  params(flags: Record<string, string | undefined>): ParamsResult;
  /** Checks the live target and captures the undo; changes nothing until `apply`. */
  prepare(
    target: FaultTarget,
    params: Record<string, string>,
    ports: FaultPorts,
  ): Promise<PreparedChange<U>>;
  /** The ledger's check of the undo it captures (`{ kind: 'none' }` needs none). */
  undoSchema: z.ZodType<U>;
  /** Puts back what it changed, exactly as captured. */
  undo(spec: U, ports: FaultPorts, nodeName: string): Promise<UndoOutcome>;
  /** Where an active fault of this kind lives. */
  home(spec: U): FaultHome;
  /** One line naming what it does: the faults bar, confirmations, the journal and the report. */
  describe(params: Record<string, string | number>): string;
  /** How it ends its task, for the task's cause ("killed by chaosdeck with SIGTERM"). */
  endCause?(params: Record<string, string | number>): { how: 'kill' | 'stop'; signal?: string };
}

/** A kind's traits: what it says, everything else false (most kinds are a few of these). */
export function traits(given: Partial<FaultTraits>): FaultTraits {
  return {
    takesReplica: false,
    keepsReplicaOut: false,
    holds: false,
    windowed: false,
    endsTask: false,
    onNode: false,
    freezes: false,
    windowRequired: false,
    ...given,
  };
}

/**
 * A module typed by its own undo spec, as the registry holds it: the registry hands each module
 * back only the undo specs its own schema accepted.
 */
export function defineFault<U extends UndoSpec>(m: FaultModule<U>): FaultModule {
  return m as unknown as FaultModule;
}
