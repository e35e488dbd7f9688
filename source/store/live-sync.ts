import { withRunningCounts } from '../domain/task-slots.js';
import { isStarting } from '../domain/task-state.js';
import type { ContainerHealth, EngineEvent, Service, Task } from '../domain/types.js';
import type { ContainerPort, SwarmPort } from '../docker/port.js';
import { startAdaptivePoller } from '../live/adaptive-poller.js';
import { watchEvents } from '../live/event-watch.js';
import type { DeckStore } from './deck-store.js';
import { nodeName, selectedTaskRow } from './selectors.js';

/** How the live view reaches the engines. */
export interface LiveSyncOptions {
  port: SwarmPort;
  /** The engine that runs containers on a node, or undefined when none is reachable. */
  containerPort: (nodeId: string) => ContainerPort | undefined;
  fastMs?: number;
  slowMs?: number;
  /** Services are re-listed on service events and at least this often (default 5 s). */
  servicesEveryMs?: number;
  /** Nodes are re-listed on node events and at least this often (default 10 s). */
  nodesEveryMs?: number;
  /**
   * The session core's view of each snapshot (recoveries, the journal); resolves true while a
   * recovery runs, so the poll stays fast.
   */
  observe?: (tasks: Task[], services: Service[]) => Promise<boolean>;
  /** Health the console inspected (for the journal). */
  onHealth?: (containerId: string, health: ContainerHealth) => void;
  /** Sees every engine event after the store has been told (for timers and benchmarks). */
  onEvent?: (event: EngineEvent) => void;
}

// Container events that can change a task's state; others (pause, exec_* probes, health_status)
// only change what inspect shows.
const TASK_CHANGING = new Set(['create', 'start', 'die', 'kill', 'stop', 'oom', 'destroy']);

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

/**
 * Keeps the store in step with the swarm: tasks from one list call per poll (fast while
 * converging, slow when calm), events as hints, health of the selected container and of
 * containers whose health changed. Returns the stop function.
 */
export function startLiveSync(store: DeckStore, options: LiveSyncOptions): () => void {
  const { port } = options;
  const servicesEvery = options.servicesEveryMs ?? 5000;
  const nodesEvery = options.nodesEveryMs ?? 10_000;
  let services: Service[] = [];
  let servicesAt = 0;
  let nodesAt = 0;
  let servicesDirty = true;
  let nodesDirty = true;
  let streamLive = false;
  let pollOk = true;
  let stopped = false;
  let lastOkAt = 0;

  const updateConnection = (error?: string) => {
    const live = streamLive && pollOk;
    const current = store.getState();
    const next = live ? 'live' : 'reconnecting';
    if (current.connection !== next || current.connectionError !== error) {
      current.actions.setConnection(next, live ? undefined : (error ?? current.connectionError));
    }
  };

  const inspect = async (containerId: string, nodeId: string) => {
    const state = store.getState();
    const target = options.containerPort(nodeId);
    if (!target) {
      state.actions.setHealth(containerId, { kind: 'remote', nodeName: nodeName(state, nodeId) });
      return;
    }
    try {
      const health = await target.inspectHealth(containerId);
      if (stopped) return;
      if (health) options.onHealth?.(containerId, health);
      // Unchanged health (most polls) must not redraw the screen.
      const previous = store.getState().health[containerId];
      if (health && previous?.kind === 'ok' && sameItems([previous.health], [health])) return;
      store
        .getState()
        .actions.setHealth(
          containerId,
          health ? { kind: 'ok', health, at: Date.now() } : { kind: 'gone' },
        );
    } catch (error) {
      if (!stopped)
        store
          .getState()
          .actions.setHealth(containerId, { kind: 'error', message: (error as Error).message });
    }
  };

  const inspectSelected = () => {
    const task = selectedTaskRow(store.getState())?.task;
    if (task?.containerId) void inspect(task.containerId, task.nodeId);
  };

  const poll = async (): Promise<boolean> => {
    const now = Date.now();
    const needServices = servicesDirty || now - servicesAt >= servicesEvery;
    const needNodes = nodesDirty || now - nodesAt >= nodesEvery;
    servicesDirty = false;
    nodesDirty = false;
    try {
      const [tasks, freshServices, freshNodes] = await Promise.all([
        port.listTasks(),
        needServices ? port.listServices() : undefined,
        needNodes ? port.listNodes() : undefined,
      ]);
      if (freshServices) {
        services = freshServices;
        servicesAt = now;
      }
      if (freshNodes) nodesAt = now;
      if (stopped) return false;
      const at = Date.now();
      lastOkAt = at;
      const counted = withRunningCounts(services, tasks);
      const current = store.getState();
      // Unchanged lists keep their identity, so a calm poll does not redraw the screen.
      store.getState().actions.setSwarm({
        ...(sameItems(current.tasks, tasks) ? {} : { tasks }),
        ...(sameItems(current.services, counted) ? {} : { services: counted }),
        ...(freshNodes && !sameItems(current.nodes, freshNodes) ? { nodes: freshNodes } : {}),
        at,
      });
      const recovering = (await options.observe?.(tasks, counted)) ?? false;
      if (!pollOk) {
        pollOk = true;
        updateConnection();
      }
      inspectSelected();
      // Poll fast while a recovery runs: its phases land sooner (their times come from Docker).
      return isConverging(counted, tasks) || recovering;
    } catch (error) {
      servicesDirty = needServices || servicesDirty;
      nodesDirty = needNodes || nodesDirty;
      pollOk = false;
      updateConnection((error as Error).message);
      // While stale the header says when the last good poll was.
      if (lastOkAt) store.getState().actions.setSwarm({ at: lastOkAt });
      return false;
    }
  };

  const poller = startAdaptivePoller({
    poll,
    ...(options.fastMs ? { fastMs: options.fastMs } : {}),
    ...(options.slowMs ? { slowMs: options.slowMs } : {}),
  });

  const onEvent = (event: EngineEvent) => {
    if (event.type === 'service') servicesDirty = true;
    if (event.type === 'node') nodesDirty = true;
    if (event.type === 'container') {
      const state = store.getState();
      const selected = selectedTaskRow(state)?.task;
      // A probe ends with exec_die: that is when its result is in the health log.
      const probeStep =
        event.action.startsWith('exec_create') || event.action.startsWith('exec_start');
      if (selected?.containerId === event.id && !probeStep) void inspect(event.id, selected.nodeId);
      else if (event.action.startsWith('health_status')) {
        const task = state.tasks.find((t) => t.containerId === event.id);
        if (task) void inspect(event.id, task.nodeId);
      }
      if (!TASK_CHANGING.has(event.action) || !event.taskId) {
        options.onEvent?.(event);
        return;
      }
    }
    poller.kick();
    options.onEvent?.(event);
  };

  const stopEvents = watchEvents(port, {
    onEvent,
    onState: (s) => {
      streamLive = s.state === 'live';
      if (streamLive) {
        // After a reconnect the engine may have changed under us: refresh everything.
        servicesDirty = true;
        nodesDirty = true;
        poller.kick();
        port.info().then(
          (engine) => !stopped && store.getState().actions.setEngine(engine),
          () => undefined,
        );
      }
      updateConnection(s.state === 'reconnecting' ? s.error : undefined);
    },
  });

  // The selection moved: show the newly selected container's health at once.
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.ui === prev.ui && state.tasks === prev.tasks) return;
    const now = selectedTaskRow(state)?.task.containerId;
    const before = selectedTaskRow(prev)?.task.containerId;
    if (now && now !== before) inspectSelected();
  });

  return () => {
    stopped = true;
    unsubscribe();
    stopEvents();
    poller.stop();
  };
}
