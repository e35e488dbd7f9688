import type { ContainerPort, NodeEventSource, SwarmPort } from '../docker/port.js';
import type { ContainerHealth, EngineEvent, Service, Task } from '../domain/types.js';
import { hintFor, sameItems, sameSet } from '../live/sync-plan.js';
import type { TaskCoverage } from '../live/recovery-tracker.js';
import { startSwarmSync, type SwarmView, type TaskInterest } from '../live/swarm-sync.js';
import type { DeckStore } from '../store/deck-store.js';
import { watchHealth } from './health-watch.js';
import { watchLogs } from './logs-watch.js';
import { watchUsage } from './usage-watch.js';
import { selectedService } from '../store/selectors.js';

export { isConverging, sameItems } from '../live/sync-plan.js';

/** How the live view reaches the engines. */
export interface LiveSyncOptions {
  port: SwarmPort;
  /** The engine that runs containers on a node, or undefined when none is reachable. */
  containerPort: (nodeId: string) => ContainerPort | undefined;
  fastMs?: number;
  slowMs?: number;
  nodesEveryMs?: number;
  /** Up to this many desired tasks every task is listed each poll (see startSwarmSync). */
  listAllUpTo?: number;
  /**
   * The game day's view of each snapshot (recoveries, the journal); resolves true while a
   * recovery runs, so the poll stays fast.
   */
  observe?: (
    tasks: Task[],
    services: Service[],
    coverage: TaskCoverage,
  ) => Promise<readonly string[]>;
  /** Services the game day needs the tasks of (faulted, touched, recovering)... */
  interest?: () => Iterable<string>;
  /** ...and those it acts on (faulted, touched): their convergence makes polls fast. */
  focus?: () => Iterable<string>;
  /** Health the console inspected (for the journal). */
  onHealth?: (containerId: string, health: ContainerHealth) => void;
  /** Sees every engine event after the store has been told (for timers and benchmarks). */
  onEvent?: (event: EngineEvent) => void;
  /** Other nodes' engines whose container events the view follows too. */
  nodeEvents?: NodeEventSource[];
}

/**
 * Whose tasks the console needs: the selected service's (the tasks pane, the health pane) and
 * the game day's (`game day.ids`); polls are fast while the selected one or `game day.focus`
 * converges. A new selection asks for a poll at once.
 */
export function consoleInterest(
  store: DeckStore,
  gameDay: { ids: () => Iterable<string>; focus: () => Iterable<string> },
): TaskInterest {
  const selected = () => selectedService(store.getState())?.id;
  const withSelected = (more: Iterable<string>) => {
    const id = selected();
    return id ? [id, ...more] : [...more];
  };
  return {
    ids: () => withSelected(gameDay.ids()),
    focus: () => withSelected(gameDay.focus()),
    subscribe: (onChange) => {
      let last = selected();
      return store.subscribe(() => {
        const now = selected();
        if (now === last) return;
        last = now;
        onChange();
      });
    },
  };
}

/** The store as the sync's view: unchanged lists keep their identity (no redraw on a calm poll). */
export function storeView(store: DeckStore, after: () => void): SwarmView {
  return {
    snapshot: ({ tasks, services, covered, nodes, at }) => {
      const current = store.getState();
      current.actions.setSwarm({
        ...(sameItems(current.tasks, tasks) ? {} : { tasks }),
        ...(sameSet(current.listed, covered) ? {} : { listed: covered }),
        ...(sameItems(current.services, services) ? {} : { services }),
        ...(nodes && !sameItems(current.nodes, nodes) ? { nodes } : {}),
        at,
      });
      after();
    },
    // While stale the header says when the last good poll was.
    stale: (lastOkAt) => {
      if (lastOkAt) store.getState().actions.setSwarm({ at: lastOkAt });
    },
    connection: (live, error) => {
      const current = store.getState();
      const next = live ? 'live' : 'reconnecting';
      if (current.connection !== next || current.connectionError !== error)
        current.actions.setConnection(next, live ? undefined : (error ?? current.connectionError));
    },
    engine: (info) => store.getState().actions.setEngine(info),
    evented: (ids) => store.getState().actions.setEvented(ids),
  };
}

/**
 * The console's live view: the swarm sync into the store, plus the health pane's inspections
 * and the logs view's stream, and the tasks' CPU and memory while they show.
 * Returns the stop function.
 */
export function startLiveSync(store: DeckStore, options: LiveSyncOptions): () => void {
  const health = watchHealth(store, options.containerPort, options.onHealth);
  const stopLogs = watchLogs(store, options.containerPort);
  const stopUsage = watchUsage(store, options.containerPort);
  const view = storeView(store, health.afterPoll);
  const stop = startSwarmSync({
    ...options,
    interest: consoleInterest(store, {
      ids: options.interest ?? (() => []),
      focus: options.focus ?? (() => []),
    }),
    view: {
      ...view,
      // What an event tells of its container goes to the game day (options.onEvent), whose
      // record the store mirrors (game day-link.ts).
      event: (event) => {
        health.onEvent(event);
        options.onEvent?.(event);
      },
    },
    kicks: (event) => hintFor(event, undefined, () => false).kick,
  });
  return () => {
    health.stop();
    stopLogs();
    stopUsage();
    stop();
  };
}
