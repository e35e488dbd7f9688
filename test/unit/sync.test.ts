import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerPort, SwarmPort } from '../../source/docker/port.js';
import type {
  EngineEvent,
  EngineInfo,
  Service,
  SwarmNode,
  Task,
} from '../../source/domain/types.js';
import { EventCoverage } from '../../source/live/event-coverage.js';
import { hintFor, nodesDue, servicesToWatch } from '../../source/live/sync-plan.js';
import { startSwarmSync, type SwarmView } from '../../source/live/swarm-sync.js';
import { createDeckStore } from '../../source/store/deck-store.js';
import { watchHealth } from '../../source/console/health-watch.js';
import { containerHealth, node, service, task } from '../helpers/fixtures.js';

const event = (over: Partial<EngineEvent>): EngineEvent => ({
  type: 'container',
  action: 'die',
  id: 'c1',
  time: 0,
  ...over,
});

describe('when a poll re-lists the nodes', () => {
  it.each([
    ['fresh list: no', { nodesAt: 9000, nodesDirty: false }, false],
    ['stale after 10 s', { nodesAt: 0, nodesDirty: false }, true],
    ['a node event', { nodesAt: 9000, nodesDirty: true }, true],
  ])('%s', (_name, f, due) => expect(nodesDue(f, 10_000, 10_000)).toBe(due));
});

describe('whose tasks a poll lists', () => {
  const calm = service({ id: 'calm', name: 'calm', desired: 2, running: 2 });
  const base = { previous: new Map<string, number>(), interest: [], hinted: new Map(), now: 1000 };
  it.each([
    ['a calm swarm: none', { services: [calm] }, []],
    ['the selected service', { services: [calm], interest: ['calm'] }, ['calm']],
    ['a service that is gone: not asked for', { services: [calm], interest: ['gone'] }, []],
    [
      'short of its replicas',
      { services: [service({ id: 'short', name: 'short', desired: 2, running: 1 })] },
      ['short'],
    ],
    [
      'its count dropped since the last poll (and is back at desired)',
      {
        services: [service({ id: 'dip', name: 'dip', desired: 1, running: 1 })],
        previous: new Map([['dip', 2]]),
      },
      ['dip'],
    ],
    [
      'an update paused by Swarm',
      {
        services: [
          service({ id: 'upd', name: 'upd', desired: 1, running: 1, updateState: 'paused' }),
        ],
      },
      ['upd'],
    ],
    ['an event named it lately', { services: [calm], hinted: new Map([['calm', 2000]]) }, ['calm']],
    ['an event named it long ago', { services: [calm], hinted: new Map([['calm', 900]]) }, []],
  ])('%s', (_name, input, ids) => {
    expect(servicesToWatch({ ...base, ...input })).toEqual(ids);
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
      { kick: true },
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
      nodesDirty: false,
      ...hint,
    });
  });
});

/** A manager that answers from lists the test sets, counting calls; its event stream is the test's. */
function fakeManager() {
  const calls = { tasks: 0, services: 0, nodes: 0, info: 0 };
  /** Whose tasks each list call asked for. */
  const asked: string[] = [];
  const state = {
    tasks: [task({ id: 't1', serviceId: 's1', slot: 1, containerId: 'c1' })] as Task[],
    services: [service({ id: 's1', name: 'web', desired: 1, running: 0 })] as Service[],
    nodes: [node({ id: 'n1', hostname: 'vm' })] as SwarmNode[],
    fail: undefined as Error | undefined,
    /** The event stream refuses to (re)connect. */
    streamFails: false,
    /** What info says; without a node id the manager's own node is never counted as covered. */
    info: { nodeName: 'vm' } as EngineInfo,
  };
  let emit: ((e: EngineEvent) => void) | undefined;
  let end: ((error?: Error) => void) | undefined;
  const port = {
    listTasks: async (filter?: { serviceIds: string[] }) => {
      calls.tasks++;
      if (state.fail) throw state.fail;
      asked.push(filter ? filter.serviceIds.join(',') : '*');
      return filter
        ? state.tasks.filter((t) => filter.serviceIds.includes(t.serviceId))
        : state.tasks;
    },
    listServices: async () => (calls.services++, state.services),
    listNodes: async () => (calls.nodes++, state.nodes),
    info: async () => (calls.info++, state.info),
    streamEvents: async (onEvent: (e: EngineEvent) => void, onEnd: (error?: Error) => void) => {
      if (state.streamFails) throw new Error('connect ECONNREFUSED');
      emit = onEvent;
      end = onEnd;
      return { stop: () => undefined };
    },
  } as unknown as SwarmPort;
  return {
    port,
    calls,
    asked,
    state,
    emit: (e: EngineEvent) => emit?.(e),
    drop: (e: Error) => end?.(e),
  };
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

  it('lists services every poll, nodes once, and tasks only of services away from their count', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    const { seen, view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 1000, listAllUpTo: 0 });
    await vi.advanceTimersByTimeAsync(10);
    // web wants 1 and Swarm counts 0: its task is listed, and counted running.
    expect(seen).toContain('snapshot 1 tasks, running 1, nodes');
    expect(m.calls).toMatchObject({ services: 1, nodes: 1, info: 1 });
    expect(m.asked).toEqual(['s1']);
    // Swarm now counts it too: a calm swarm lists no tasks.
    m.state.services = [service({ id: 's1', name: 'web', desired: 1, running: 1 })];
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.asked.at(-1)).toBe('');
    expect(seen.at(-1)).toBe('snapshot 0 tasks, running 1');
    expect(m.calls.nodes).toBe(1);
    stop();
  });

  it("a container event lists its service's tasks at once, and so does a new selection", async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [
      service({ id: 's1', name: 'web', desired: 1, running: 1 }),
      service({ id: 's2', name: 'db', desired: 1, running: 1 }),
    ];
    m.state.tasks.push(task({ id: 't2', serviceId: 's2', slot: 1, containerId: 'c2' }));
    let selected = 's1';
    let changed = () => {};
    const { view } = recordingView();
    const stop = startSwarmSync({
      port: m.port,
      view,
      slowMs: 60_000,
      listAllUpTo: 0,
      interest: { ids: () => [selected], subscribe: (cb) => ((changed = cb), () => undefined) },
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(m.asked).toEqual(['s1']);
    m.emit(event({ id: 'c2', taskId: 't2', serviceId: 's2' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(m.asked.at(-1)).toBe('s1,s2');
    selected = 's2';
    changed();
    await vi.advanceTimersByTimeAsync(100);
    expect(m.asked.at(-1)).toBe('s2');
    stop();
  });

  it("a worker engine's container event is a hint too, and reaches the view; its drop does not mark the manager down", async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [
      service({ id: 's1', name: 'web', desired: 1, running: 1 }),
      service({ id: 's2', name: 'db', desired: 1, running: 1 }),
    ];
    const worker = fakeManager();
    const { seen, view } = recordingView();
    const events: string[] = [];
    const stop = startSwarmSync({
      port: m.port,
      view: { ...view, event: (e) => events.push(`${e.type} ${e.id}`) },
      slowMs: 60_000,
      listAllUpTo: 0,
      nodeEvents: [{ node: 'labw1', engine: worker.port }],
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(m.asked).toEqual(['']);
    worker.emit(event({ id: 'c9', taskId: 't9', serviceId: 's2' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(m.asked.at(-1)).toBe('s2');
    expect(events).toEqual(['container c9']);
    worker.drop(new Error('worker went away'));
    await vi.advanceTimersByTimeAsync(100);
    expect(seen.filter((l) => l.startsWith('connection down'))).toEqual([]);
    stop();
  });

  it("a big swarm's first services reach the view before any task: the first poll lists the tasks of what the view then selects", async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [
      service({ id: 's1', name: 'web', desired: 1, running: 1 }),
      service({ id: 's2', name: 'db', desired: 1, running: 1 }),
    ];
    let selected: string | undefined;
    const { seen, view } = recordingView();
    const stop = startSwarmSync({
      port: m.port,
      view: {
        ...view,
        // Like the console: the first services listed decide the selection (db sorts first).
        snapshot: (u) => {
          selected ??= u.services.find((s) => s.name === 'db')?.id;
          view.snapshot(u);
        },
      },
      slowMs: 60_000,
      listAllUpTo: 0,
      interest: { ids: () => (selected ? [selected] : []), subscribe: () => () => undefined },
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(m.asked).toEqual(['s2']);
    expect(m.calls.services).toBe(1);
    expect(seen.filter((l) => l.startsWith('snapshot'))).toEqual([
      'snapshot 0 tasks, running 1',
      'snapshot 0 tasks, running 1, nodes',
    ]);
    stop();
  });

  it('events naming most of a big swarm: one whole task list, not a filter naming nearly every service', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = Array.from({ length: 100 }, (_, i) =>
      service({ id: `s${i}`, name: `svc-${i}`, desired: 1, running: 1 }),
    );
    const { view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 60_000, listAllUpTo: 0 });
    await vi.advanceTimersByTimeAsync(10);
    for (let i = 0; i < 40; i++)
      m.emit(event({ id: `c${i}`, taskId: `t${i}`, serviceId: `s${i}` }));
    await vi.advanceTimersByTimeAsync(100);
    // 40 of 100: filtered by the engine.
    expect(m.asked.at(-1)!.split(',')).toHaveLength(40);
    for (let i = 40; i < 60; i++)
      m.emit(event({ id: `c${i}`, taskId: `t${i}`, serviceId: `s${i}` }));
    await vi.advanceTimersByTimeAsync(100);
    // 60 of 100: every task in one call.
    expect(m.asked.at(-1)).toBe('*');
    stop();
  });

  it('a count that dropped between polls has its tasks listed in the same poll', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [service({ id: 's1', name: 'web', desired: 1, running: 1 })];
    const { view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 1000, listAllUpTo: 0 });
    await vi.advanceTimersByTimeAsync(10);
    expect(m.asked).toEqual(['']);
    m.state.services = [service({ id: 's1', name: 'web', desired: 2, running: 1 })];
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.asked).toEqual(['', '', 's1']);
    stop();
  });

  it('polls calm every netMs while every ready node streams its events, else every slowMs', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [service({ id: 's1', name: 'web', desired: 1, running: 1 })];
    m.state.nodes = [node({ id: 'n1', hostname: 'vm' }), node({ id: 'n2', hostname: 'labw1' })];
    m.state.info = { nodeName: 'vm', nodeId: 'n1' } as EngineInfo;
    const worker = fakeManager();
    const evented: string[] = [];
    const { view } = recordingView();
    const stop = startSwarmSync({
      port: m.port,
      view: { ...view, evented: (ids) => evented.push([...ids].sort().join() || '-') },
      slowMs: 1000,
      netMs: 4000,
      nodeEvents: [{ node: 'labw1', engine: worker.port }],
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(evented.at(-1)).toBe('n1,n2');
    const polls = () => m.calls.services;
    let before = polls();
    await vi.advanceTimersByTimeAsync(8000);
    expect(polls() - before).toBe(2);
    // labw1's stream drops: a death there would be no event, the calm poll is back to 1 s.
    worker.state.streamFails = true;
    worker.drop(new Error('labw1 went away'));
    expect(evented.at(-1)).toBe('n1');
    await vi.advanceTimersByTimeAsync(4000);
    before = polls();
    await vi.advanceTimersByTimeAsync(5000);
    expect(polls() - before).toBe(5);
    stop();
  });

  it('a small swarm has every task listed each poll', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    m.state.services = [service({ id: 's1', name: 'web', desired: 1, running: 1 })];
    const { view } = recordingView();
    const stop = startSwarmSync({ port: m.port, view, slowMs: 1000, listAllUpTo: 1 });
    await vi.advanceTimersByTimeAsync(1010);
    expect(m.asked).toEqual(['*', '*']);
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

  it('a manager that goes quiet is down after a failed ping, and live again at its next answer', async () => {
    vi.useFakeTimers();
    const m = fakeManager();
    let answers = true;
    let pings = 0;
    (m.port as { ping?: (ms: number) => Promise<void> }).ping = async (ms) => {
      pings++;
      if (!answers) throw new Error(`no answer in ${ms / 1000} s`);
    };
    const { seen, view } = recordingView();
    // Polls every 10 s: between them only the ping tells a hung manager from a calm one.
    const stop = startSwarmSync({ port: m.port, view, slowMs: 10_000, silenceMs: 3000 });
    await vi.advanceTimersByTimeAsync(10);
    answers = false;
    await vi.advanceTimersByTimeAsync(6000);
    expect(pings).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe('connection down: no answer in 3 s');
    // The next good poll is an answer: live again without waiting for another ping.
    await vi.advanceTimersByTimeAsync(4000);
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
      observe: async () => (recovering ? ['s1'] : []),
    });
    await vi.advanceTimersByTimeAsync(450);
    expect(m.calls.tasks).toBe(5);
    recovering = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.calls.tasks).toBe(6);
    stop();
  });
});

describe('whose container events reach the console', () => {
  const nodes = [
    node({ id: 'n1', hostname: 'vm' }),
    node({ id: 'n2', hostname: 'labw1' }),
    node({ id: 'n3', hostname: 'labw2', ready: false }),
  ];
  it.each([
    ['nothing live yet', [], [], false],
    ['the manager live, its id not yet known', [['manager', true]], [], false],
    ['the manager live, its id known', [['manager', true, 'n1']], ['n1'], false],
    [
      'the manager and the one other ready node (by hostname): complete',
      [
        ['manager', true, 'n1'],
        ['labw1', true],
      ],
      ['n1', 'n2'],
      true,
    ],
    [
      'an endpoint named by node id',
      [
        ['manager', true, 'n1'],
        ['n2', true],
      ],
      ['n1', 'n2'],
      true,
    ],
    [
      "the manager's stream dropped",
      [
        ['manager', true, 'n1'],
        ['labw1', true],
        ['manager', false],
      ],
      ['n2'],
      false,
    ],
    [
      "an endpoint's stream dropped",
      [
        ['manager', true, 'n1'],
        ['labw1', true],
        ['labw1', false],
      ],
      ['n1'],
      false,
    ],
    [
      'an endpoint that is no node',
      [
        ['manager', true, 'n1'],
        ['db9', true],
      ],
      ['n1'],
      false,
    ],
  ] as [string, [string, boolean, string?][], string[], boolean][])(
    '%s',
    (_name, steps, ids, complete) => {
      const told: string[][] = [];
      const c = new EventCoverage((set) => told.push([...set]));
      c.setNodes(nodes);
      for (const [who, live, id] of steps)
        if (who === 'manager') c.manager(live, id);
        else c.endpoint(who, live);
      expect([...c.covered()].sort()).toEqual(ids);
      expect(c.complete()).toBe(complete);
      // Told only of changes, and last of what is covered now.
      expect(told.at(-1) ?? []).toEqual([...c.covered()]);
      told.slice(1).forEach((t, i) => expect(t).not.toEqual(told[i]));
    },
  );
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

describe('the health watch after a poll', () => {
  const setup = (nodeId: string) => {
    const store = createDeckStore();
    const a = store.getState().actions;
    a.setSwarm({
      services: [service({ id: 's1', name: 'api' })],
      tasks: [task({ id: 't1', serviceId: 's1', nodeId, containerId: 'c1' })],
      at: 0,
    });
    // What the sync reports: the manager's own node n1 and the endpoint node n3 stream events.
    a.setEvented(new Set(['n1', 'n3']));
    const asked: string[] = [];
    const port = {
      inspectHealth: async (id: string) => (asked.push(id), containerHealth({ containerId: id })),
    } as unknown as ContainerPort;
    return { store, asked, health: watchHealth(store, () => port) };
  };
  afterEach(() => vi.useRealTimers());

  it.each(['n1', 'n3'])(
    'a container on a node whose events reach the console (%s): its events inspect it; polls only every 10 s',
    async (nodeId) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const { store, asked, health } = setup(nodeId);
      health.afterPoll();
      health.afterPoll();
      vi.advanceTimersByTime(9_000);
      health.afterPoll();
      expect(asked).toEqual(['c1']);
      health.onEvent(event({ action: 'exec_die', id: 'c1' }));
      expect(asked).toEqual(['c1', 'c1']);
      vi.advanceTimersByTime(9_000);
      health.afterPoll();
      expect(asked).toHaveLength(2);
      vi.advanceTimersByTime(1_000);
      health.afterPoll();
      expect(asked).toHaveLength(3);
      // Its stream dropped: the events may be lost, every poll inspects.
      store.getState().actions.setEvented(new Set([nodeId === 'n1' ? 'n3' : 'n1']));
      health.afterPoll();
      health.afterPoll();
      expect(asked).toHaveLength(5);
      health.stop();
    },
  );

  it('a node whose events do not reach the console: every poll inspects its container', () => {
    const { asked, health } = setup('n2');
    health.afterPoll();
    health.afterPoll();
    health.afterPoll();
    expect(asked).toEqual(['c1', 'c1', 'c1']);
    health.stop();
  });
});
