import type { FaultKind, FaultRecord, FaultTarget } from '../domain/fault.js';
import type { phasesOf } from '../domain/recovery.js';
import type { SwarmPort } from '../docker/port.js';
import type { GameDay } from '../game-day/game-day.js';
import type { TargetChoice } from './targets.js';

/** A scripted fault, as the command line (or an experiment's arguments) asked for it. */
export interface FaultCommand {
  kind: FaultKind;
  target: string;
  params: Record<string, string>;
  /** Hold the fault this long, then undo it (the command stays in the foreground). */
  forMs?: number;
  waitRecovery: boolean;
  timeoutMs: number;
  yes: boolean;
  forceLast: boolean;
  choice: TargetChoice;
  /** Repeat every this long (`--every`), `times` times. */
  everyMs?: number;
  times: number;
}

/** What a fault run needs: the game day, the manager, and where its lines go. */
export interface FaultRunDeps {
  gameDay: GameDay;
  swarm: SwarmPort;
  /** Lines for a person (stdout); silent under --json. */
  say: (line: string) => void;
  /** Why something failed or was refused (stderr; also in the JSON document). */
  warn: (line: string) => void;
  /** What becomes of a fault left active (its watchdog's promise), said after "still active". */
  untimedNote?: string;
}

/** Exit codes of scripted actions. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notRecovered: 3 } as const;

/** One fault the command applied (or tried to), for the JSON document. */
export interface RunResult {
  target: FaultTarget;
  fault?: { id: string; description: string; params: FaultRecord['params']; appliedAt: string };
  undone?: { at: string; outcome: string };
  stillActive?: boolean;
  refused?: string;
  error?: string;
  recovery?: {
    converged: boolean;
    why?: string;
    episodes: {
      slot: string;
      failedTask: string;
      replacementTask?: string;
      failedAt: string;
      phasesMs: ReturnType<typeof phasesOf>;
      retries: number;
    }[];
    /** A fault on a node: the node's loss and return (see format/node-recovery-lines.ts). */
    node?: Record<string, unknown>;
  };
}
