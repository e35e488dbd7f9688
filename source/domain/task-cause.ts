import { isTerminal } from './task-state.js';
import type { EngineEvent, Task } from './types.js';

/** What is known about a task's container beyond Swarm's task list (events, inspect). */
export interface ContainerFacts {
  /** The kernel's OOM killer struck (an `oom` event, or State.OOMKilled). */
  oom?: boolean;
  /** Docker marked it unhealthy before it ended (a `health_status: unhealthy` event). */
  unhealthy?: boolean;
  /** Failing probes in a row when it was last seen unhealthy (its health log's streak). */
  failingProbes?: number;
  /** A `kill` event's signal: someone sent it one. */
  killSignal?: string;
  /** chaosdeck sent that kill (a fault of this run). */
  killedByChaosdeck?: boolean;
  /** chaosdeck stopped it (docker stop: SIGTERM, then SIGKILL after the grace). */
  stoppedByChaosdeck?: boolean;
  /** The container's `die` event: when, and its exit code (ahead of Swarm's task list). */
  died?: { at: number; exitCode?: number };
}

/** The fact a container event adds, if any. */
export function factOf(event: EngineEvent): ContainerFacts | undefined {
  if (event.type !== 'container') return undefined;
  if (event.action === 'oom') return { oom: true };
  if (event.action === 'health_status: unhealthy') return { unhealthy: true };
  // Recovered health clears the mark: only a container that ended unhealthy was killed for it.
  if (event.action === 'health_status: healthy') return { unhealthy: false };
  if (event.action === 'kill' && event.signal) return { killSignal: event.signal };
  if (event.action === 'die')
    return {
      died: {
        at: event.time,
        ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
      },
    };
  return undefined;
}

/**
 * The task as its container's `die` event shows it, before Swarm's task list does: a task
 * still listed as live whose container died is failed (or complete, for exit 0), since the
 * event's time. Undefined when the list already says so, or no event said it died.
 */
export function diedByEvent(task: Task, facts: ContainerFacts | undefined): Task | undefined {
  const died = facts?.died;
  if (!died || isTerminal(task.state) || died.at < task.stateSince) return undefined;
  const code = died.exitCode;
  return {
    ...task,
    state: code === 0 ? 'complete' : 'failed',
    stateSince: died.at,
    ...(code !== undefined ? { exitCode: code } : {}),
  };
}

/** Why a task ended, as far as the facts tell. */
export type TaskCause =
  | { kind: 'oom' }
  | { kind: 'unhealthy'; failingProbes?: number }
  | { kind: 'killed'; by: 'chaosdeck' | 'outside'; signal: string }
  | { kind: 'stopped'; by: 'chaosdeck' }
  | { kind: 'exited'; code: number }
  | { kind: 'rejected'; reason: string }
  | { kind: 'node-down' }
  /** Swarm found its container gone ("No such container"): its engine restarted or lost it. */
  | { kind: 'engine-lost' }
  | { kind: 'shut-down' };

/**
 * The cause of a task that ended; undefined while it runs or when nothing is known. The most
 * specific fact wins: an OOM kill is also exit 137, an unhealthy container is also killed by Swarm.
 */
export function taskCause(task: Task, facts: ContainerFacts | undefined): TaskCause | undefined {
  if (!isTerminal(task.state)) return undefined;
  if (facts?.oom) return { kind: 'oom' };
  if (task.state === 'rejected') return { kind: 'rejected', reason: task.error ?? task.message };
  if (task.state === 'orphaned' || /node is down|node .*unavailable/i.test(task.error ?? ''))
    return { kind: 'node-down' };
  // A dockerd restart stops its containers (kill events and all) and Swarm then finds them gone:
  // its own record outranks the kills the shutdown sent.
  if (/no such container/i.test(task.error ?? '')) return { kind: 'engine-lost' };
  if (facts?.unhealthy)
    return facts.failingProbes
      ? { kind: 'unhealthy', failingProbes: facts.failingProbes }
      : { kind: 'unhealthy' };
  // Shutdown is Swarm's own doing (an update, a scale-down): its SIGTERM is not an outside kill.
  if (task.state === 'shutdown' && !task.error) return { kind: 'shut-down' };
  // Its own stop, named as such whether or not an event told of the signals it sent.
  if (facts?.stoppedByChaosdeck) return { kind: 'stopped', by: 'chaosdeck' };
  if (facts?.killSignal)
    return {
      kind: 'killed',
      by: facts.killedByChaosdeck ? 'chaosdeck' : 'outside',
      signal: facts.killSignal,
    };
  // Swarm's own error already says "non-zero exit (1)": the code alone adds nothing to it.
  if (task.exitCode !== undefined && task.exitCode !== 0 && !task.error)
    return { kind: 'exited', code: task.exitCode };
  return undefined;
}
