import { isStarting } from '../domain/task-state.js';
import type { EngineEvent, Service, SwarmNode, Task } from '../domain/types.js';
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
  /** Sees every engine event after the store has been told (for timers and benchmarks). */
  onEvent?: (event: EngineEvent) => void;
  /** Sees every snapshot applied to the store. */
  onSnapshot?: (snapshot: { tasks: Task[]; services: Service[]; at: number }) => void;
}

/** Counts running tasks per service from the task list (fresher than the last service list). */
function withRunningCounts(services: Service[], tasks: Task[]): Service[] {
  const running = new Map<string, number>();
  for (const t of tasks) {
    if (t.state === 'running' && t.desiredState === 'running') {
      running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
    }
  }
  return services.map((s) => {
    const count = running.get(s.id) ?? 0;
    return count === s.running ? s : { ...s, running: count };
  });
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
  let nodes: SwarmNode[] = [];
  let servicesAt = 0;
  let nodesAt = 0;
  let servicesDirty = true;
  let nodesDirty = true;
  let streamLive = false;
  let pollOk = true;
  let stopped = false;

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
      if (freshNodes) {
        nodes = freshNodes;
        nodesAt = now;
      }
      if (stopped) return false;
      const at = Date.now();
      const counted = withRunningCounts(services, tasks);
      store.getState().actions.setSwarm({
        tasks,
        ...(freshServices || counted !== services ? { services: counted } : {}),
        ...(freshNodes ? { nodes } : {}),
        at,
      });
      options.onSnapshot?.({ tasks, services: counted, at });
      if (!pollOk) {
        pollOk = true;
        updateConnection();
      }
      inspectSelected();
      return isConverging(counted, tasks);
    } catch (error) {
      servicesDirty = needServices || servicesDirty;
      nodesDirty = needNodes || nodesDirty;
      pollOk = false;
      updateConnection((error as Error).message);
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
      if (selected?.containerId === event.id) void inspect(event.id, selected.nodeId);
      else if (event.action.startsWith('health_status')) {
        const task = state.tasks.find((t) => t.containerId === event.id);
        if (task) void inspect(event.id, task.nodeId);
      }
      // Exec events are healthcheck probes; they change no task state.
      if (event.action.startsWith('exec_') || !event.taskId) {
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
