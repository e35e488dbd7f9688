import { withRunningCounts } from '../domain/task-slots.js';
import type { EngineEvent, EngineInfo, Service, SwarmNode, Task } from '../domain/types.js';
import type { SwarmPort } from '../docker/port.js';
import { startAdaptivePoller } from '../live/adaptive-poller.js';
import { watchEvents } from '../live/event-watch.js';
import { isConverging, listsToFetch, type ListFreshness } from '../live/sync-plan.js';

/** Where the sync puts what it learns (the console's store; a test's recorder). */
export interface SwarmView {
  /** A good poll: the tasks, services (running counted from the tasks), nodes when re-listed. */
  snapshot(update: { tasks: Task[]; services: Service[]; nodes?: SwarmNode[]; at: number }): void;
  /** A failed poll: what is shown is as of `lastOkAt`. */
  stale(lastOkAt: number | undefined, error: string): void;
  /** Both the poll and the event stream work again (or one of them stopped). */
  connection(live: boolean, error?: string): void;
  engine(info: EngineInfo): void;
  /** Every engine event, after the sync has taken its hints (health inspection, timers). */
  event?(event: EngineEvent): void;
}

/** How the sync runs. */
export interface SwarmSyncOptions {
  port: SwarmPort;
  view: SwarmView;
  /** The session core's view of each snapshot; resolves true while a recovery runs. */
  observe?: (tasks: Task[], services: Service[]) => Promise<boolean>;
  /** Whether an event is worth a poll (default: the hint's own verdict). */
  kicks?: (event: EngineEvent) => boolean;
  fastMs?: number;
  slowMs?: number;
  /** Services are re-listed on service events and at least this often (default 5 s). */
  servicesEveryMs?: number;
  /** Nodes are re-listed on node events and at least this often (default 10 s). */
  nodesEveryMs?: number;
}

/**
 * Keeps a view in step with the swarm: tasks from one list call per poll (fast while converging
 * or recovering, slow when calm), services and nodes when events say so, events as hints, a
 * reconnect refreshing everything. Returns the stop function.
 */
export function startSwarmSync(options: SwarmSyncOptions): () => void {
  const { port, view } = options;
  const every = {
    servicesMs: options.servicesEveryMs ?? 5000,
    nodesMs: options.nodesEveryMs ?? 10_000,
  };
  const lists: ListFreshness = { servicesAt: 0, nodesAt: 0, servicesDirty: true, nodesDirty: true };
  let services: Service[] = [];
  let streamLive = false;
  let pollOk = true;
  let stopped = false;
  let lastOkAt: number | undefined;

  const tellConnection = (error?: string) => view.connection(streamLive && pollOk, error);

  const poll = async (): Promise<boolean> => {
    const now = Date.now();
    const want = listsToFetch(lists, now, every);
    lists.servicesDirty = false;
    lists.nodesDirty = false;
    try {
      const [tasks, freshServices, nodes] = await Promise.all([
        port.listTasks(),
        want.services ? port.listServices() : undefined,
        want.nodes ? port.listNodes() : undefined,
      ]);
      if (freshServices) {
        services = freshServices;
        lists.servicesAt = now;
      }
      if (nodes) lists.nodesAt = now;
      if (stopped) return false;
      lastOkAt = Date.now();
      const counted = withRunningCounts(services, tasks);
      view.snapshot({ tasks, services: counted, ...(nodes ? { nodes } : {}), at: lastOkAt });
      const recovering = (await options.observe?.(tasks, counted)) ?? false;
      if (!pollOk) {
        pollOk = true;
        tellConnection();
      }
      // Poll fast while a recovery runs: its phases land sooner (their times come from Docker).
      return isConverging(counted, tasks) || recovering;
    } catch (error) {
      lists.servicesDirty ||= want.services;
      lists.nodesDirty ||= want.nodes;
      pollOk = false;
      view.stale(lastOkAt, (error as Error).message);
      tellConnection((error as Error).message);
      return false;
    }
  };

  const poller = startAdaptivePoller({
    poll,
    ...(options.fastMs ? { fastMs: options.fastMs } : {}),
    ...(options.slowMs ? { slowMs: options.slowMs } : {}),
  });

  const stopEvents = watchEvents(port, {
    onEvent: (event) => {
      if (event.type === 'service') lists.servicesDirty = true;
      if (event.type === 'node') lists.nodesDirty = true;
      if (options.kicks?.(event) ?? true) poller.kick();
      view.event?.(event);
    },
    onState: (s) => {
      streamLive = s.state === 'live';
      if (streamLive) {
        // After a reconnect the engine may have changed under us: refresh everything.
        lists.servicesDirty = true;
        lists.nodesDirty = true;
        poller.kick();
        port.info().then(
          (engine) => !stopped && view.engine(engine),
          () => undefined,
        );
      }
      tellConnection(s.state === 'reconnecting' ? s.error : undefined);
    },
  });

  return () => {
    stopped = true;
    stopEvents();
    poller.stop();
  };
}
