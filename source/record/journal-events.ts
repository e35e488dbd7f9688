import type { NodeRecovery } from '../domain/node-recovery.js';
import type { FaultEvent } from '../chaos/controller.js';
import type { FaultKind, FaultRecord } from '../domain/fault.js';
import { describeFault } from '../faults/lines.js';
import type { FaultWindow, LatencySample } from '../domain/latency.js';
import type { RecoveryEpisode } from '../domain/recovery.js';
import type { TaskCause } from '../domain/task-cause.js';
import type { TaskState } from '../domain/types.js';

/** Where a fault landed, as the journal keeps it (ids, names; never env or secrets). */
export interface JournalTarget {
  service: string;
  slot: string;
  task: string;
  container: string;
  node: string;
}

/** One line of a game-day journal: what happened, when (epoch ms), in which run (its id is the `session` field). */
export type JournalEvent = { t: number; session: string } & JournalBody;

/** The event itself, without its time and run. */
export type JournalBody =
  | {
      type: 'session-start';
      /** "console" or the command line of a scripted action ("kill lab_api --wait-recovery"). */
      mode: string;
      who: string;
      host: string;
      chaosdeck: string;
      engine: { node: string; version: string; api: string };
      nodes: { hostname: string; role: string; availability: string; ready: boolean }[];
      services: { name: string; mode: string; desired: number; image: string }[];
    }
  | { type: 'session-end'; code: number; why: string }
  | {
      type: 'fault-applied';
      id: string;
      kind: FaultKind;
      target: JournalTarget;
      params: Record<string, string | number>;
      description: string;
      /** What the undo puts back, captured before the change. */
      previous?: unknown;
      endsAt?: number;
      dryRun?: boolean;
    }
  | {
      type: 'fault-undone';
      id: string;
      kind: FaultKind;
      target: JournalTarget;
      outcome: 'undone' | 'gone' | 'died' | 'failed';
      error?: string;
      /** Why it ended without a request (its task died, or Swarm removed it). */
      why?: string;
    }
  | {
      type: 'fault-failed';
      kind: FaultKind;
      target: JournalTarget;
      params: Record<string, string>;
      error: string;
    }
  | { type: 'refused'; kind: FaultKind; target: JournalTarget; reason: string }
  | {
      type: 'task';
      service: string;
      slot: string;
      task: string;
      node: string;
      state: TaskState;
      desired: TaskState;
      /** Swarm's own timestamp for the state (Task.Status.Timestamp). */
      at: number;
      exitCode?: number;
      error?: string;
      /** Why it ended, where its container's events told more than the exit code. */
      cause?: TaskCause;
    }
  | { type: 'recovery'; episode: RecoveryEpisode }
  | {
      type: 'health';
      service: string;
      slot: string;
      container: string;
      status: string;
      /** The container was paused: Docker stops probing it and marks it unhealthy. */
      paused?: boolean;
    }
  | { type: 'oom'; service: string; slot: string; container: string; at: number }
  | { type: 'sample'; source: 'probe' | 'lap'; sample: LatencySample }
  | { type: 'window'; window: FaultWindow }
  | { type: 'note'; who: string; text: string }
  /** A node's loss and return after a partition, from Swarm's records (times: epoch ms). */
  | { type: 'node-recovery'; recovery: NodeRecovery }
  /** chaosdeck followed the swarm through another manager (its own could not serve it), or back. */
  | {
      type: 'manager';
      from: string;
      to: string;
      home: boolean;
      reason?: string;
    }
  /** An experiment's progress: its start, each activity's end, its verdict (Chaos Toolkit's words). */
  | {
      type: 'experiment';
      phase: 'start' | 'activity' | 'end';
      title: string;
      detail: Record<string, unknown>;
    }
  | {
      /** A scale or restart of a whole service (not a fault: nothing undoes it). */
      type: 'service-action';
      action: 'scale' | 'restart';
      service: string;
      from?: number;
      to?: number;
      outcome: 'done' | 'dry-run' | 'refused' | 'failed';
      error?: string;
    };

/** The journal's view of a fault target. */
export function journalTarget(r: Pick<FaultRecord, 'target'>): JournalTarget {
  const t = r.target;
  return {
    service: t.serviceName,
    slot: t.slotName,
    task: t.taskId,
    container: t.containerId,
    node: t.nodeName,
  };
}

/** The journal line of an apply, undo, failed or refused apply (never a secret: targets, params, undo). */
export function faultEventLine(e: FaultEvent): JournalBody {
  if (e.type === 'refused')
    return {
      type: 'refused',
      kind: e.request.kind,
      target: journalTarget(e.request),
      reason: e.reason,
    };
  if (e.type === 'failed')
    return {
      type: 'fault-failed',
      kind: e.request.kind,
      target: journalTarget(e.request),
      params: e.request.params,
      error: e.error,
    };
  const { record } = e;
  if (e.type === 'undone')
    return {
      type: 'fault-undone',
      id: record.id,
      kind: record.kind,
      target: journalTarget(record),
      outcome: e.outcome,
      ...(e.error ? { error: e.error } : {}),
      ...(e.why ? { why: e.why } : {}),
    };
  // The undo spec without its tag: what will be put back.
  const previous = Object.fromEntries(Object.entries(record.undo).filter(([k]) => k !== 'kind'));
  return {
    type: 'fault-applied',
    id: record.id,
    kind: record.kind,
    target: journalTarget(record),
    params: record.params,
    description: describeFault(record.kind, record.params),
    ...(record.undo.kind !== 'none' ? { previous } : {}),
    ...(record.endsAt ? { endsAt: record.endsAt } : {}),
    ...(record.dryRun ? { dryRun: true } : {}),
  };
}
