import { describe, expect, it } from 'vitest';
import { nodeTable } from '../../source/format/node-rows.js';
import { node, task } from '../helpers/fixtures.js';

const NOW = Date.parse('2026-12-07T20:00:00Z');
const ago = (s: number) => NOW - s * 1000;

const leader = node({
  id: 'm1',
  hostname: 'vm',
  leader: true,
  ip: '10.77.0.1',
  state: 'ready',
  updatedAt: ago(3600),
});
const follower = node({
  id: 'm2',
  hostname: 'labm2',
  ip: '10.77.0.22',
  state: 'ready',
  reachability: 'reachable',
  updatedAt: ago(90),
});
const lostManager = node({
  id: 'm3',
  hostname: 'labm3',
  ip: '10.77.0.23',
  ready: false,
  state: 'unknown',
  reachability: 'unreachable',
  updatedAt: ago(4),
});
const w1 = node({
  id: 'w1',
  hostname: 'labw1',
  role: 'worker',
  ip: '10.77.0.11',
  ready: false,
  state: 'down',
  updatedAt: ago(12),
});
const w2 = node({
  id: 'w2',
  hostname: 'labw2',
  role: 'worker',
  availability: 'drain',
  ip: '10.77.0.12',
  state: 'ready',
  updatedAt: ago(30),
});

describe('nodeTable: the nodes as Swarm sees them, one row each', () => {
  const tasks = [
    task({ id: 't1', serviceId: 's1', nodeId: 'w1', state: 'running' }),
    task({ id: 't2', serviceId: 's1', nodeId: 'w1', state: 'running' }),
    task({ id: 't3', serviceId: 's1', nodeId: 'w1', state: 'shutdown' }),
    task({ id: 't4', serviceId: 's1', nodeId: 'm1', state: 'running' }),
  ];
  const table = nodeTable([w2, w1, lostManager, follower, leader], tasks, NOW, 80, 'm1');

  it('has a heading and managers first (the leader on top), then workers by name', () => {
    expect(table.header).toMatch(/^NODE +ROLE +STATE +AVAIL +MANAGER +TASKS ADDRESS/);
    expect(table.rows.map((r) => r.text.split(/ +/)[0])).toEqual([
      'vm',
      'labm2',
      'labm3',
      'labw1',
      'labw2',
    ]);
  });

  it.each([
    [
      'the leader, marked as the node chaosdeck talks to',
      0,
      /^vm \* +manager ready 1h +active leader +1 10\.77\.0\.1/,
      'normal',
    ],
    [
      'a reachable follower',
      1,
      /^labm2 +manager ready 1m +active reachable +0 10\.77\.0\.22/,
      'normal',
    ],
    [
      'a manager lost: unknown since 4 s, unreachable',
      2,
      /^labm3 +manager unknown 4s +active unreachable +0/,
      'bad',
    ],
    [
      'a worker down 12 s, its running tasks counted',
      3,
      /^labw1 +worker +down 12s +active – +2 10\.77\.0\.11/,
      'bad',
    ],
    ['a drained worker', 4, /^labw2 +worker +ready 30s +drain +– +0/, 'warn'],
  ])('%s', (_what, i, text, tone) => {
    expect(table.rows[i]!.text, JSON.stringify(table.rows[i]!.text)).toMatch(text);
    expect(table.rows[i]!.tone).toBe(tone);
  });

  it('a state changed under a second ago reads <1s, not in ms', () => {
    const fresh = nodeTable(
      [node({ id: 'x', hostname: 'labw9', role: 'worker', state: 'ready', updatedAt: NOW - 968 })],
      [],
      NOW,
      100,
    );
    expect(fresh.rows[0]!.text).toMatch(/^labw9 +worker +ready <1s /);
  });

  it('fits the width it is given, every row', () => {
    for (const width of [40, 80, 120]) {
      const t = nodeTable([leader, w1], tasks, NOW, width);
      for (const line of [t.header, ...t.rows.map((r) => r.text)]) expect(line.length).toBe(width);
    }
  });
});
