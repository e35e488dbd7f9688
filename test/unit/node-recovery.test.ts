import { describe, expect, it } from 'vitest';
import { NodeRecoveryTracker, type SwarmLook } from '../../source/domain/node-recovery.js';
import {
  controlPlaneLine,
  nodeRecoveryJson,
  nodeRecoveryLines,
} from '../../source/format/node-recovery-lines.js';
import { node, service, task } from '../helpers/fixtures.js';

const CUT = 100_000;
const api = service({ id: 'api', name: 'app_api', desired: 2 });
const agent = service({ id: 'agent', name: 'lab_worker', mode: 'global' });
const services = [api, agent];
const worker = (state: string, updatedAt: number) =>
  node({ id: 'w1', hostname: 'labw1', role: 'worker', state, updatedAt });
const others = [
  node({ id: 'm1', hostname: 'vm', leader: true }),
  node({ id: 'w2', hostname: 'labw2', role: 'worker' }),
];
const before = [
  task({
    id: 'a1',
    serviceId: 'api',
    slot: 1,
    nodeId: 'w1',
    createdAt: 50_000,
    stateSince: 50_000,
  }),
  task({
    id: 'a2',
    serviceId: 'api',
    slot: 2,
    nodeId: 'w2',
    createdAt: 50_000,
    stateSince: 50_000,
  }),
  task({ id: 'g1', serviceId: 'agent', slot: undefined, nodeId: 'w1', stateSince: 40_000 }),
];
const replacement = (state: 'pending' | 'running', since: number) =>
  task({
    id: 'a1b',
    serviceId: 'api',
    slot: 1,
    nodeId: 'w2',
    createdAt: 115_000,
    state,
    stateSince: since,
  });
const oldShut = { ...before[0]!, desiredState: 'shutdown' as const };

/** The looks a watcher takes through a worker's loss and return. */
const looks: SwarmLook[] = [
  { at: CUT, nodes: [worker('ready', 90_000), ...others], tasks: before, services },
  { at: CUT + 14_000, nodes: [worker('ready', 90_000), ...others], tasks: before, services },
  {
    at: CUT + 15_200,
    nodes: [worker('down', 114_800), ...others],
    tasks: [oldShut, ...before.slice(1), replacement('pending', 115_000)],
    services,
  },
  {
    at: CUT + 17_000,
    nodes: [worker('down', 114_800), ...others],
    tasks: [oldShut, ...before.slice(1), replacement('running', 116_100)],
    services,
  },
  {
    at: CUT + 42_000,
    nodes: [worker('ready', 141_200), ...others],
    tasks: [oldShut, ...before.slice(1), replacement('running', 116_100)],
    services,
  },
  {
    at: CUT + 43_000,
    nodes: [worker('ready', 141_200), ...others],
    tasks: [
      { ...oldShut, state: 'shutdown' },
      before[1]!,
      { ...before[2]!, stateSince: 141_500 },
      replacement('running', 116_100),
    ],
    services,
  },
];

describe('NodeRecoveryTracker: a worker cut off and back, from Swarm’s timestamps', () => {
  const tracker = new NodeRecoveryTracker(worker('ready', 90_000), CUT);
  const seen = looks.map((l) => ({ r: tracker.observe(l), done: tracker.done() }));
  it.each([
    [
      'down at the node’s UpdatedAt, not when a poll saw it',
      2,
      (r: (typeof seen)[0]['r']) => r.downAt,
      114_800,
    ],
    [
      'the replica it ran, recreated elsewhere',
      2,
      (r: (typeof seen)[0]['r']) => r.moved[0]?.createdAt,
      115_000,
    ],
    [
      'and running (its Status.Timestamp)',
      3,
      (r: (typeof seen)[0]['r']) => r.moved[0]?.runningAt,
      116_100,
    ],
    [
      'services whole when the last replica runs',
      3,
      (r: (typeof seen)[0]['r']) => r.convergedAt,
      116_100,
    ],
    ['ready again at the node’s UpdatedAt', 4, (r: (typeof seen)[0]['r']) => r.readyAt, 141_200],
    [
      'its global task not back while the old one still says running (its end not recorded)',
      4,
      (r: (typeof seen)[0]['r']) => r.globalBackAt,
      undefined,
    ],
    ['its global task running again', 5, (r: (typeof seen)[0]['r']) => r.globalBackAt, 141_500],
    [
      'what Swarm did with its old replica',
      5,
      (r: (typeof seen)[0]['r']) => r.left[0]?.state,
      'shutdown',
    ],
  ])('%s', (_what, look, pick, value) => expect(pick(seen[look]!.r)).toBe(value));
  it('is done only once the node is back and its old replica stopped', () => {
    expect(seen.map((s) => s.done)).toEqual([false, false, false, false, false, true]);
  });
  it('reads as lines counted from the cut', () => {
    expect(nodeRecoveryLines(seen[5]!.r)).toEqual([
      'labw1: down +14.8s · services whole +16.1s · ready again +41.2s',
      '  app_api.1: replacement on labw2 created +15.0s · running +16.1s',
      '  global tasks (1): running again +41.5s',
      '  left on labw1: app_api.1 shutdown',
    ]);
  });
  it('and as JSON with ISO times and ms from the cut', () => {
    expect(nodeRecoveryJson(seen[5]!.r)).toMatchObject({
      node: 'labw1',
      downMs: 14_800,
      servicesWholeMs: 16_100,
      readyMs: 41_200,
      moved: [{ slot: 'app_api.1', replacementNode: 'labw2', runningMs: 16_100 }],
    });
  });
});

describe('NodeRecoveryTracker: the leader cut off', () => {
  const m = (id: string, leader: boolean, reachability: string, state = 'ready', updatedAt = 1) =>
    node({ id, hostname: id, leader, reachability, state, updatedAt });
  const t = new NodeRecoveryTracker(m('labm1', true, 'reachable'), CUT, 'labm1');
  t.observe({
    at: CUT,
    nodes: [
      m('labm1', true, 'reachable'),
      m('labm2', false, 'reachable'),
      m('vm', false, 'reachable'),
    ],
    tasks: [],
    services: [],
  });
  t.observe({ at: CUT + 3_000, failed: true });
  t.observe({ at: CUT + 9_000, failed: true });
  const r = t.observe({
    at: CUT + 11_000,
    nodes: [
      m('labm1', false, 'unreachable', 'down', CUT + 10_500),
      m('labm2', true, 'reachable'),
      m('vm', false, 'reachable'),
    ],
    tasks: [],
    services: [],
  });
  it('times the election as chaosdeck saw it', () => {
    expect(r.controlPlane).toEqual({
      leaderBefore: 'labm1',
      leaderLostAt: CUT + 3_000,
      apiDownAt: CUT + 3_000,
      apiBackAt: CUT + 11_000,
      newLeader: 'labm2',
      newLeaderAt: CUT + 11_000,
      worstReachable: { reachable: 2, managers: 3 },
    });
    expect(controlPlaneLine(r)).toBe(
      'leader labm1 lost +3.0s · new leader labm2 +11.0s · API refused +3.0s, answering again +11.0s · 2/3 managers reachable',
    );
  });
  it('is not done before the old leader is back', () => expect(t.done()).toBe(false));
});
