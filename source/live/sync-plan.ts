import { isStarting } from '../domain/task-state.js';
import type { EngineEvent, Service, Task } from '../domain/types.js';

/** When the node list was last fetched and whether an event said it changed since. */
export interface NodeListFreshness {
  nodesAt: number;
  nodesDirty: boolean;
}

/** Whether a poll re-lists the nodes: when an event said they changed, else every `everyMs`. */
export function nodesDue(f: NodeListFreshness, now: number, everyMs: number): boolean {
  return f.nodesDirty || now - f.nodesAt >= everyMs;
}

/** What an engine event asks of the sync. */
export interface EventHint {
  /** Poll soon. */
  kick: boolean;
  nodesDirty: boolean;
  /** Inspect this container's health now. */
  inspect?: string;
}

// Container events that can change a task's state; others (pause, exec_* probes, health_status)
// only change what inspect shows.
const TASK_CHANGING = new Set(['create', 'start', 'die', 'kill', 'stop', 'oom', 'destroy']);

/**
 * Turns an engine event into hints: re-list nodes, poll soon, inspect a container.
 * `selected` is the container the console shows; `known` tells whether a container is a task's.
 */
export function hintFor(
  event: EngineEvent,
  selected: string | undefined,
  known: (containerId: string) => boolean,
): EventHint {
  const hint: EventHint = {
    kick: true,
    nodesDirty: event.type === 'node',
  };
  if (event.type !== 'container') return hint;
  // A probe ends with exec_die: that is when its result is in the health log.
  const probeStep = event.action.startsWith('exec_create') || event.action.startsWith('exec_start');
  if (selected === event.id && !probeStep) hint.inspect = event.id;
  else if (event.action.startsWith('health_status') && known(event.id)) hint.inspect = event.id;
  hint.kick = TASK_CHANGING.has(event.action) && Boolean(event.taskId);
  return hint;
}

/** True when both sets hold the same ids (`a` may be missing: never the same then). */
export function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): boolean {
  if (a === undefined || a.size !== b.size) return false;
  for (const id of b) if (!a.has(id)) return false;
  return true;
}

/** True when two lists hold equal items in the same order (shallow, field by field). */
export function sameItems<T extends object>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Record<string, unknown>;
    const y = b[i] as Record<string, unknown>;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) {
      const vx = x[k];
      const vy = y[k];
      if (vx === vy) continue;
      // Nested values (ports, labels) are small: compare their JSON.
      if (
        typeof vx !== 'object' ||
        typeof vy !== 'object' ||
        JSON.stringify(vx) !== JSON.stringify(vy)
      )
        return false;
    }
  }
  return true;
}

/** True while any service is away from its desired state (then poll fast). */
export function isConverging(services: Service[], tasks: Task[]): boolean {
  return (
    services.some(
      (s) =>
        s.running !== s.desired ||
        s.updateState === 'updating' ||
        s.updateState === 'rollback_started',
    ) || tasks.some(isStarting)
  );
}

/** What decides whose tasks a poll lists. */
export interface WatchInput {
  /** The services as just listed (their running counts come from Swarm's ServiceStatus). */
  services: readonly Service[];
  /** Each service's running count at the previous poll. */
  previous: ReadonlyMap<string, number>;
  /** Services someone looks at or holds: the selected one, faulted ones, open recoveries. */
  interest: Iterable<string>;
  /** Services an event named, until when (epoch ms). */
  hinted: ReadonlyMap<string, number>;
  now: number;
}

// An update can sit paused for days; its tasks still tell why.
const UNSETTLED_UPDATES = new Set(['updating', 'rollback_started', 'paused', 'rollback_paused']);

/**
 * The services whose tasks a poll lists (ids, sorted): what is looked at or held, what an event
 * named lately, and every service away from its desired state or whose running count dropped
 * since the last poll. A calm service is known by its counts alone, so a calm swarm of any size
 * costs one service list and a few tasks per poll.
 */
export function servicesToWatch(input: WatchInput): string[] {
  const ids = new Set<string>();
  const known = new Set(input.services.map((s) => s.id));
  for (const id of input.interest) if (known.has(id)) ids.add(id);
  for (const [id, until] of input.hinted) if (until > input.now && known.has(id)) ids.add(id);
  for (const s of input.services) {
    const before = input.previous.get(s.id);
    if (
      s.running !== s.desired ||
      (before !== undefined && s.running < before) ||
      (s.updateState !== undefined && UNSETTLED_UPDATES.has(s.updateState))
    )
      ids.add(s.id);
  }
  return [...ids].sort();
}
