import { withRunningCounts } from '../domain/task-slots.js';
import type { EngineEvent, EngineInfo, Service, SwarmNode, Task } from '../domain/types.js';
import type { NodeEventSource, SwarmPort } from '../docker/port.js';
import { startAdaptivePoller } from './adaptive-poller.js';
import { EventCoverage } from './event-coverage.js';
import { watchEvents } from './event-watch.js';
import { watchSilence } from './silence-watch.js';
import type { TaskCoverage } from './recovery-tracker.js';
import { isConverging, nodesDue, servicesToWatch, type NodeListFreshness } from './sync-plan.js';

/** Where the sync puts what it learns (the console's store; a test's recorder). */
export interface SwarmView {
  /**
   * A good poll: the services (counts from Swarm, or from the tasks where they were listed), the
   * tasks of the covered services, nodes when re-listed.
   */
  snapshot(update: {
    tasks: Task[];
    services: Service[];
    covered: ReadonlySet<string>;
    nodes?: SwarmNode[];
    at: number;
  }): void;
  /** A failed poll: what is shown is as of `lastOkAt`. */
  stale(lastOkAt: number | undefined, error: string): void;
  /** Both the poll and the event stream work again (or one of them stopped). */
  connection(live: boolean, error?: string): void;
  engine(info: EngineInfo): void;
  /** Every engine event, after the sync has taken its hints (health inspection, timers). */
  event?(event: EngineEvent): void;
  /**
   * The nodes (ids) whose container events reach the sync now: the manager's own while its
   * stream is live, and each endpoint's while its own stream is.
   */
  evented?(nodeIds: ReadonlySet<string>): void;
}

/** Services someone needs the tasks of, and a way to hear that they changed. */
export interface TaskInterest {
  ids(): Iterable<string>;
  /** The ones whose convergence makes polls fast (default: all of `ids`). */
  focus?(): Iterable<string>;
  /** Calls back when the ids changed (a new selection); returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}

/** How the sync runs. */
export interface SwarmSyncOptions {
  port: SwarmPort;
  view: SwarmView;
  /** The game day's view of each snapshot; resolves to the services still recovering. */
  observe?: (
    tasks: Task[],
    services: Service[],
    coverage: TaskCoverage,
  ) => Promise<readonly string[]>;
  /** Whose tasks to list besides the unsettled services (default: none). */
  interest?: TaskInterest;
  /** Whether an event is worth a poll (default: the hint's own verdict). */
  kicks?: (event: EngineEvent) => boolean;
  fastMs?: number;
  slowMs?: number;
  /** Nodes are re-listed on node events and at least this often (default 10 s). */
  nodesEveryMs?: number;
  /** How long an event keeps its service's tasks listed (default 30 s). */
  hintMs?: number;
  /**
   * Other nodes' engines (--node endpoints): their container events (a die, an OOM) are hints
   * like the manager's, which only sees its own node's containers. Each reconnects on its own.
   */
  nodeEvents?: NodeEventSource[];
  /**
   * The calm interval while every ready node's container events reach the sync (default 5 s):
   * a task that dies or starts anywhere is then an event that polls at once, and the calm poll
   * is only a net for what no event tells (a task Swarm cannot place).
   */
  netMs?: number;
  /**
   * Up to this many desired tasks (Swarm's DesiredTasks summed), every task is listed each poll:
   * cheap at that size, and a new selection has its tasks at once (default 200).
   */
  listAllUpTo?: number;
  /**
   * After this long with neither a good poll nor an event, the manager is pinged with this
   * deadline (default 3 s): a connection that hangs (no answer, no refusal) shows within seconds.
   */
  silenceMs?: number;
}

/** Past this many services wanted, and over half of the swarm, a poll lists every task. */
const MANY_SERVICES = 50;

/** All services' ids when the swarm is small enough to list whole. */
function smallSwarm(services: readonly Service[], upTo: number): string[] | undefined {
  let desired = 0;
  for (const s of services) desired += s.desired;
  return desired <= upTo ? services.map((s) => s.id) : undefined;
}

/**
 * Keeps a view in step with the swarm. Each poll lists the services (Swarm counts their running
 * tasks) and the tasks of the services that matter: looked at, held, named by an event lately,
 * or away from their desired state. Fast while converging or recovering, slow when calm; events
 * are hints; a reconnect refreshes everything. Returns the stop function.
 */
export function startSwarmSync(options: SwarmSyncOptions): () => void {
  const { port, view } = options;
  const nodesEveryMs = options.nodesEveryMs ?? 10_000;
  const slowMs = options.slowMs ?? 2000;
  const netMs = options.netMs ?? 5000;
  const coverage = new EventCoverage((ids) => view.evented?.(ids));
  const hintMs = options.hintMs ?? 30_000;
  const nodeList: NodeListFreshness = { nodesAt: 0, nodesDirty: true };
  const hinted = new Map<string, number>();
  let services: Service[] = [];
  let previous = new Map<string, number>();
  let streamLive = false;
  let pollOk = true;
  let stopped = false;
  let lastOkAt: number | undefined;
  // Last time the manager was heard from (a good poll, an event, a ping's answer).
  let heardAt = Date.now();
  let pingOk = true;

  const tellConnection = (error?: string) => view.connection(streamLive && pollOk && pingOk, error);
  const listAllUpTo = options.listAllUpTo ?? 200;
  const watch = (list: Service[], before: Map<string, number>, now: number) =>
    servicesToWatch({
      services: list,
      previous: before,
      interest: options.interest?.ids() ?? [],
      hinted,
      now,
    });

  const poll = async (): Promise<boolean> => {
    const now = Date.now();
    for (const [id, until] of hinted) if (until <= now) hinted.delete(id);
    const wantNodes = nodesDue(nodeList, now, nodesEveryMs);
    nodeList.nodesDirty = false;
    try {
      // Whose tasks: judged from the last poll's counts, so both lists go out at once (the first
      // poll learns the swarm's size first). A small swarm has every task listed.
      const known = services.length > 0 ? undefined : await port.listServices();
      const judged = known ?? services;
      let whole = smallSwarm(judged, listAllUpTo) !== undefined;
      // A big swarm's first services go to the view before any task: it shows them and picks
      // what it looks at, so this poll lists the selected service's tasks (not the next one).
      if (known && !whole && !stopped)
        view.snapshot({ tasks: [], services: known, covered: new Set(), at: Date.now() });
      const wanted = whole ? [] : watch(judged, previous, now);
      // Most of a big swarm wanted (churn everywhere): one whole list costs less than filters
      // that name nearly every service.
      if (wanted.length > MANY_SERVICES && wanted.length * 2 > judged.length) whole = true;
      const guess = whole ? [] : wanted;
      const [fresh, first, nodes] = await Promise.all([
        known ?? port.listServices(),
        whole ? port.listTasks() : port.listTasks({ serviceIds: guess }),
        wantNodes ? port.listNodes() : undefined,
      ]);
      // A count that dropped since, or a new service: list its tasks too, in this poll.
      const counts = new Map(services.map((s) => [s.id, s.running]));
      const extra = whole ? [] : watch(fresh, counts, now).filter((id) => !guess.includes(id));
      const tasks = extra.length
        ? [...first, ...(await port.listTasks({ serviceIds: extra }))]
        : first;
      const covered = new Set(whole ? judged.map((s) => s.id) : [...guess, ...extra]);
      if (nodes) {
        nodeList.nodesAt = now;
        coverage.setNodes(nodes);
      }
      if (stopped) return false;
      lastOkAt = Date.now();
      heardAt = lastOkAt;
      const counted = withRunningCounts(fresh, tasks, covered);
      previous = counts;
      services = counted;
      view.snapshot({
        tasks,
        services: counted,
        covered,
        ...(nodes ? { nodes } : {}),
        at: lastOkAt,
      });
      const recovering = (await options.observe?.(tasks, counted, { covered, at: lastOkAt })) ?? [];
      // An answer is an answer: a ping that failed meanwhile no longer counts.
      if (!pollOk || !pingOk) {
        pollOk = true;
        pingOk = true;
        tellConnection();
      }
      // Poll fast while what someone looks at or holds converges or recovers: its phases land
      // sooner (their times come from Docker either way). A big swarm always has something
      // converging somewhere; that alone does not make every poll fast.
      const interest = options.interest;
      const focus = interest ? new Set(interest.focus?.() ?? interest.ids()) : undefined;
      const matters = (id: string) => !focus || focus.has(id);
      return (
        isConverging(
          counted.filter((s) => matters(s.id)),
          tasks.filter((t) => matters(t.serviceId)),
        ) || recovering.some(matters)
      );
    } catch (error) {
      nodeList.nodesDirty ||= wantNodes;
      pollOk = false;
      view.stale(lastOkAt, (error as Error).message);
      tellConnection((error as Error).message);
      return false;
    }
  };

  const poller = startAdaptivePoller({
    poll,
    ...(options.fastMs ? { fastMs: options.fastMs } : {}),
    slowMs: () => (coverage.complete() ? Math.max(slowMs, netMs) : slowMs),
  });
  const stopInterest = options.interest?.subscribe(() => poller.kick());

  const onManagerEvent = (event: EngineEvent) => {
    heardAt = Date.now();
    if (!pingOk) {
      pingOk = true;
      tellConnection();
    }
    onEvent(event);
  };
  const onEvent = (event: EngineEvent) => {
    if (event.type === 'node') nodeList.nodesDirty = true;
    // A service event's actor is the service; a task container's labels name its service.
    const serviceId = event.type === 'service' ? event.id : event.serviceId;
    if (serviceId) hinted.set(serviceId, Date.now() + hintMs);
    if (options.kicks?.(event) ?? true) poller.kick();
    view.event?.(event);
  };
  // A worker's stream going away is the reach watch's news, not the manager connection's.
  const stopNodeEvents = (options.nodeEvents ?? []).map(({ node, engine }) =>
    watchEvents(engine, { onEvent, onState: (s) => coverage.endpoint(node, s.state === 'live') }),
  );
  const stopEvents = watchEvents(port, {
    onEvent: onManagerEvent,
    onState: (s) => {
      streamLive = s.state === 'live';
      coverage.manager(streamLive);
      if (streamLive) {
        // After a reconnect the engine may have changed under us: refresh everything.
        nodeList.nodesDirty = true;
        poller.kick();
        port.info().then(
          (engine) => {
            if (stopped) return;
            coverage.manager(streamLive, engine.nodeId);
            view.engine(engine);
          },
          () => undefined,
        );
      }
      tellConnection(s.state === 'reconnecting' ? s.error : undefined);
    },
  });

  const stopSilence = watchSilence({
    ping: port.ping?.bind(port),
    silenceMs: options.silenceMs ?? 3000,
    heardAt: () => heardAt,
    answered: () => {
      heardAt = Date.now();
      if (pingOk) return;
      pingOk = true;
      // Heard again: a poll now refreshes what the silence left stale.
      poller.kick();
      tellConnection();
    },
    silent: (error) => {
      if (!pingOk) return;
      pingOk = false;
      view.stale(lastOkAt, error);
      tellConnection(error);
    },
  });

  return () => {
    stopped = true;
    stopSilence();
    stopInterest?.();
    stopEvents();
    for (const stopNode of stopNodeEvents) stopNode();
    poller.stop();
  };
}
