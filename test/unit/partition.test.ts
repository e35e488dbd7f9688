import { describe, expect, it } from 'vitest';
import { cutPlan, SWARM_PORTS } from '../../source/faults/partition-plan.js';
import { readFaultCommand } from '../../source/fault-run/fault-plan.js';
import { resolveNode, targetJson } from '../../source/fault-run/targets.js';
import { node, service, task } from '../helpers/fixtures.js';

const m1 = node({ id: 'm1', hostname: 'mgr1', leader: true, ip: '10.0.0.1', state: 'ready' });
const m2 = node({ id: 'm2', hostname: 'mgr2', ip: '10.0.0.2', reachability: 'reachable' });
const m3 = node({ id: 'm3', hostname: 'mgr3', ip: '10.0.0.3', reachability: 'reachable' });
const w1 = node({ id: 'w1', hostname: 'wrk1', role: 'worker', ip: '10.0.0.11', state: 'ready' });
const w2 = node({ id: 'w2', hostname: 'wrk2', role: 'worker', ip: '10.0.0.12', state: 'ready' });

const plan = (
  nodes: ReturnType<typeof node>[],
  nodeId: string,
  extra: Partial<Parameters<typeof cutPlan>[0]> = {},
) =>
  cutPlan({ nodes, nodeId, selfNodeId: 'm1', from: 'managers', forceQuorumLoss: false, ...extra });

describe('cutPlan: what a partition cuts, and what it refuses', () => {
  it.each([
    [
      'a worker, from its managers',
      [m1, m2, m3, w1, w2],
      'w1',
      {},
      ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
    ],
    [
      'a worker, from every node',
      [m1, w1, w2],
      'w1',
      { from: 'all' as const },
      ['10.0.0.1', '10.0.0.12'],
    ],
    ['a follower manager of three', [m1, m2, m3, w1], 'm2', {}, ['10.0.0.1', '10.0.0.3']],
    [
      'the manager chaosdeck talks to, when other managers are given to follow the swarm through',
      [m1, m2, m3, w1],
      'm1',
      { followsThrough: ['tcp://mgr2:2376'] },
      ['10.0.0.2', '10.0.0.3'],
    ],
  ])('%s', (_what, nodes, id, extra, peers) => {
    const p = plan(nodes, id, extra);
    expect('peers' in p ? p.peers : p.refused).toEqual(peers);
    if ('peers' in p) expect(p.ports).toEqual(SWARM_PORTS);
  });

  it.each([
    [
      'the manager chaosdeck talks to',
      [m1, w1],
      'm1',
      {},
      /mgr1 is the manager chaosdeck talks to.*--host more than once/,
    ],
    [
      'the manager chaosdeck talks to, others given, when its loss breaks quorum',
      [m1, m2],
      'm1',
      { followsThrough: ['tcp://mgr2:2376'] },
      /leaves 1 of 2 managers: below quorum/,
    ],
    ['a node not in the swarm', [m1, w1], 'zz', {}, /not in the swarm/],
    ['a node already down', [m1, { ...w1, state: 'down' }], 'w1', {}, /wrk1 is down, not ready/],
    ['a node with no peer address', [{ ...m1, ip: undefined }, w1], 'w1', {}, /no address/],
    [
      'a manager of two (quorum lost)',
      [m1, m2],
      'm2',
      {},
      /leaves 1 of 2 managers: below quorum \(2\).*--force-quorum-loss --yes/,
    ],
    [
      'a second manager of three while one is already unreachable',
      [m1, m2, { ...m3, reachability: 'unreachable' }],
      'm2',
      {},
      /leaves 1 of 3 managers: below quorum \(2\)/,
    ],
  ])('refuses %s', (_what, nodes, id, extra, why) => {
    const p = plan(nodes, id, extra);
    expect('refused' in p ? p.refused : 'allowed').toMatch(why);
  });

  it('cuts a manager below quorum when forced, and says how many stay reachable', () => {
    const p = plan([m1, m2], 'm2', { forceQuorumLoss: true });
    expect('quorumNote' in p ? p.quorumNote : p).toBe('1/2 managers reachable during (quorum 2)');
  });

  it('notes the quorum that holds when a manager of three is cut', () => {
    const p = plan([m1, m2, m3], 'm3');
    expect('quorumNote' in p ? p.quorumNote : p).toBe('2/3 managers reachable during (quorum 2)');
  });
});

describe('resolveNode', () => {
  it.each([
    ['wrk1', 'w1'],
    ['w2', 'w2'],
    ['leader', 'm1'],
  ])('%s names node %s', (spec, id) => {
    const r = resolveNode(spec, [m1, w1, w2]);
    expect('targets' in r ? r.targets[0]!.nodeId : r.error).toBe(id);
  });
  it.each([
    ['nope', /nope: no such node \(mgr1, wrk1, wrk2\)/],
    ['w', /w: names 2 nodes/],
  ])('%s: %s', (spec, why) => {
    const r = resolveNode(spec, [m1, w1, w2]);
    expect('error' in r ? r.error : 'found').toMatch(why);
  });
  it('a service names the node of one of its running tasks, a worker first', () => {
    const snap = {
      services: [service({ id: 's', name: 'app_api' })],
      tasks: [
        task({ id: 'a', serviceId: 's', nodeId: 'm1' }),
        task({ id: 'b', serviceId: 's', nodeId: 'w2' }),
        task({ id: 'c', serviceId: 's', nodeId: 'w1', state: 'shutdown' }),
      ],
    };
    const r = resolveNode('app_api', [m1, w1, w2], snap);
    expect('targets' in r ? r.targets[0]!.nodeName : r.error).toBe('wrk2');
    const none = resolveNode('app_api', [m1, w1, w2], { ...snap, tasks: [] });
    expect('error' in none ? none.error : 'found').toBe('app_api: no running task, so no node');
  });
  it('a node target has no task and no service', () => {
    const r = resolveNode('wrk1', [w1]);
    expect('targets' in r && r.targets[0]).toMatchObject({
      taskId: '',
      serviceId: '',
      slotName: 'wrk1',
    });
  });
});

describe('partition as a command', () => {
  const read = (flags: Record<string, unknown>) =>
    readFaultCommand('partition', 'wrk1', {
      waitRecovery: false,
      forceLast: false,
      random: false,
      yes: false,
      ...flags,
    } as never);
  it.each([
    [{}, { forMs: 60_000, params: { from: 'managers', maxWindow: '10m' } }],
    [
      { for: '40s', from: 'all' },
      { forMs: 40_000, params: { from: 'all', maxWindow: '10m' } },
    ],
    [
      { for: '20m', maxWindow: '30m' },
      { forMs: 1_200_000, params: { from: 'managers', maxWindow: '30m' } },
    ],
    [
      { forceQuorumLoss: '', yes: true },
      { forMs: 60_000, params: { from: 'managers', maxWindow: '10m', forceQuorumLoss: 'yes' } },
    ],
  ])('%j reads as %j (no untimed partition)', (flags, expected) => {
    expect(read(flags)).toMatchObject(expected);
  });
  it.each([
    [{ from: 'workers' }, '--from takes managers or all, not "workers"'],
    [
      { forceQuorumLoss: '' },
      '--force-quorum-loss goes with --yes: losing quorum is never a default',
    ],
    [{ for: 'soon' }, /--for/],
    [
      { for: '20m' },
      '--for 20m: longer than the longest partition allowed (10m); --max-window raises it',
    ],
    [{ for: '20m', maxWindow: '15m' }, /longest partition allowed \(15m\)/],
    [{ maxWindow: 'soon' }, '--max-window: "soon" is not a duration (5s, 2m, 1500ms)'],
  ])('%j is a usage error', (flags, error) => {
    const r = read(flags);
    expect('error' in r ? r.error : 'ok').toMatch(error);
  });
});

describe('targetJson: a node target in the JSON document', () => {
  it('leaves out the service, task and container a node has not', () => {
    const r = resolveNode('wrk1', [m1, w1]);
    expect('targets' in r && targetJson(r.targets[0]!)).toEqual({
      slotName: 'wrk1',
      nodeId: 'w1',
      nodeName: 'wrk1',
    });
  });
  it('keeps a task target whole', () => {
    const t = {
      serviceId: 's',
      serviceName: 'web',
      taskId: 't',
      slotName: 'web.1',
      containerId: 'c',
      nodeId: 'n',
      nodeName: 'vm',
    };
    expect(targetJson(t)).toEqual(t);
  });
});
