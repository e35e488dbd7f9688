import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerPort, SwarmPort } from '../../source/docker/port.js';
import type {
  EngineEvent,
  EngineInfo,
  Service,
  SwarmNode,
  Task,
} from '../../source/domain/types.js';
import { hintFor, listsToFetch } from '../../source/live/sync-plan.js';
import { startSwarmSync, type SwarmView } from '../../source/session/swarm-sync.js';
import { createDeckStore } from '../../source/store/deck-store.js';
import { watchHealth } from '../../source/store/health-watch.js';
import { containerHealth, node, service, task } from '../helpers/fixtures.js';

const event = (over: Partial<EngineEvent>): EngineEvent => ({
  type: 'container',
  action: 'die',
  id: 'c1',
  time: 0,
  ...over,
});

describe('which lists a poll fetches', () => {
  const every = { servicesMs: 5000, nodesMs: 10_000 };
  it.each([
    ['fresh lists: tasks only', { servicesAt: 9000, nodesAt: 9000 }, 10_000, false, false],
    ['services stale after 5 s', { servicesAt: 4000, nodesAt: 9000 }, 10_000, true, false],
    ['nodes stale after 10 s', { servicesAt: 9000, nodesAt: 0 }, 10_000, false, true],
    [
      'a service event',
      { servicesAt: 9000, nodesAt: 9000, servicesDirty: true },
      10_000,
      true,
      false,
    ],
    ['a node event', { servicesAt: 9000, nodesAt: 9000, nodesDirty: true }, 10_000, false, true],
  ])('%s', (_name, f, now, services, nodes) => {
    const fresh = { servicesDirty: false, nodesDirty: false, ...f };
    expect(listsToFetch(fresh, now, every)).toEqual({ services, nodes });
  });
});

describe('event hints', () => {
  const known = (id: string) => id === 'c1';
  it.each([
    ['a task container dies: poll', event({ taskId: 't1' }), undefined, { kick: true }],
    ['a plain container dies: nothing', event({}), undefined, { kick: false }],
    [
      'a service changes: re-list services',
      event({ type: 'service', action: 'update' }),
      undefined,
      { kick: true, servicesDirty: true },
    ],
    [
      'a node changes: re-list nodes',
      event({ type: 'node', action: 'update' }),
      undefined,
      { kick: true, nodesDirty: true },
    ],
    [
      'health of a known container: inspect, no poll',
      event({ action: 'health_status: unhealthy' }),
      undefined,
      { kick: false, inspect: 'c1' },
    ],
    [
      'health of an unknown container: nothing',
      event({ action: 'health_status: healthy', id: 'zz' }),
      undefined,
      { kick: false },
    ],
    [
      'the selected container paused: inspect',
      event({ action: 'pause' }),
      'c1',
      { kick: false, inspect: 'c1' },
    ],
    [
      'a probe starting in the selected one: wait for its end',
      event({ action: 'exec_start: wget' }),
      'c1',
      { kick: false },
    ],
  ])('%s', (_name, e, selected, hint) => {
    expect(hintFor(e, selected, known)).toEqual({
      servicesDirty: false,
      nodesDirty: false,
      ...hint,
    });
  });
});

/** A manager that answers from lists the test sets, counting calls; its event stream is the test's. */
function fakeManager() {
  const calls = { tasks: 0, services: 0, nodes: 0, info: 0 };
  const state = {
    tasks: [task({ id: 't1', serviceId: 's1', slot: 1, containerId: 'c1' })] as Task[],
    services: [service({ id: 's1', name: 'web', desired: 1, running: 0 })] as Service[],
    nodes: [node({ id: 'n1', hostname: 'vm' })] as SwarmNode[],
    fail: undefined as Error | undefined,
  };
  let emit: ((e: EngineEvent) => void) | undefined;
  let end: ((error?: Error) => void) | undefined;
  const port = {
    listTasks: async () => {
      calls.tasks++;
      if (state.fail) throw state.fail;
      return state.tasks;
    },
    listServices: async () => (calls.services++, state.services),
    listNodes: async () => (calls.nodes++, state.nodes),
    info: async () => (calls.info++, { nodeName: 'vm' } as EngineInfo),
    streamEvents: async (onEvent: (e: EngineEvent) => void, onEnd: (error?: Error) => void) => {
      emit = onEvent;
      end = onEnd;
      return { stop: () => undefined };
    },
  } as unknown as SwarmPort;
  return { port, calls, state, emit: (e: EngineEvent) => emit?.(e), drop: (e: Error) => end?.(e) };
}

function recordingView() {
  const seen: string[] = [];
  const view: SwarmView = {
    snapshot: (u) =>
      seen.push(
        `snapshot ${u.tasks.length} tasks, running ${u.services[0]?.running}${u.nodes ? ', nodes' : ''}`,
      ),
    stale: (at, error) => seen.push(`stale ${at ? 'since last ok' : 'never ok'}: ${error}`),
    connection: (live, error) =>
      seen.push(`connection ${live ? 'live' : 'down'}${error ? `: ${error}` : ''}`),
    engine: (info) => seen.push(`engine ${info.nodeName}`),
  };
  return { seen, view };
}

describe('the swarm sync against a fake manager', () => {
  afterEach(() => vi.useRealTimers());

  it('polls every list first, then services only on a service event; counts running from tasks', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    const { seen, view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 1000 });
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toContain('snapshot 1 tasks, running 1, nodes');
    expect(m.calls).toMatchObject({ tasks: 1, services: 1, nodes: 1, info: 1 });
    m.emit(event({ type: 'service', action: 'update', id: 's1' }));
    await vi.advanceTimersByTimeAsync(50);
    expect(m.calls).toMatchObject({ tasks: 2, services: 2, nodes: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.calls).toMatchObject({ tasks: 3, services: 2, nodes: 1 });
    stop();
  });

  it('a failed poll marks the view stale and down; the next good one brings it back', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    const { seen, view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 1000 });
    await vi.advanceTimersByTimeAsync(10);
    m.state.fail = new Error('connect ECONNREFUSED');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toContain('stale since last ok: connect ECONNREFUSED');
    expect(seen.at(-1)).toBe('connection down: connect ECONNREFUSED');
    m.state.fail = undefined;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.at(-1)).toBe('connection live');
    stop();
  });

  it('a dropped event stream is down until it reconnects, then everything is re-listed', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    const { seen, view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 60_000 });
    await vi.advanceTimersByTimeAsync(10);
    m.drop(new Error('socket hang up'));
    expect(seen.at(-1)).toBe('connection down: socket hang up');
    await vi.advanceTimersByTimeAsync(300);
    expect(seen).toContain('engine vm');
    expect(seen.at(-2) ?? '').toMatch(/snapshot|connection live|engine/);
    expect(m.calls.services).toBe(2);
    expect(m.calls.nodes).toBe(2);
    stop();
  });

  it('polls fast while the session says a recovery runs', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [service({ id: 's1', name: 'web', desired: 1, running: 1 })];
    let recovering = true;
    const { view } = recordingView();
    const stop = startSwarmSync({
      port: m.port,
      view,
      fastMs: 100,
      slowMs: 5000,
      observe: async () => recovering,
    });
    await vi.advanceTimersByTimeAsync(450);
    expect(m.calls.tasks).toBe(5);
    recovering = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.calls.tasks).toBe(6);
    stop();
  });
});

describe('the health watch', () => {
  it('inspects a container whose health changed, on its own node; an unchanged answer keeps the view', async () => {
    const store = createDeckStore();
    store.getState().actions.setSwarm({
      tasks: [task({ id: 't1', serviceId: 's1', nodeId: 'n2', containerId: 'c1' })],
      at: 0,
    });
    const asked: string[] = [];
    const port = {
      inspectHealth: async (id: string) => (
        asked.push(id),
        containerHealth({ containerId: id, status: 'unhealthy' })
      ),
    } as unknown as ContainerPort;
    const health = watchHealth(store, (nodeId) => (nodeId === 'n2' ? port : undefined));
    health.onEvent(event({ action: 'health_status: unhealthy' }));
    await vi.waitFor(() => expect(store.getState().health.c1?.kind).toBe('ok'));
    const first = store.getState().health;
    health.onEvent(event({ action: 'health_status: unhealthy' }));
    await vi.waitFor(() => expect(asked).toEqual(['c1', 'c1']));
    expect(store.getState().health).toBe(first);
    health.onEvent(event({ action: 'exec_start: wget', id: 'c9' }));
    expect(asked).toHaveLength(2);
    health.stop();
  });
});
