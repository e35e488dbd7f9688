import { describe, expect, it } from 'vitest';
import { nodesSummary } from '../../source/format/node-lines.js';
import { node } from '../helpers/fixtures.js';

const vm = node({ id: 'a', hostname: 'vm', leader: true, state: 'ready' });
const m1 = node({ id: 'b', hostname: 'labm1', reachability: 'reachable', state: 'ready' });
const w1 = node({ id: 'c', hostname: 'labw1', role: 'worker', state: 'ready' });

describe('nodesSummary: the header says which nodes are lost, and the control plane when in question', () => {
  it.each([
    ['all ready', [vm, w1], 'nodes 2/2 ready'],
    ['a worker down', [vm, { ...w1, ready: false, state: 'down' }], 'nodes 1/2 ready (labw1 down)'],
    [
      'a manager unreachable',
      [vm, { ...m1, ready: false, state: 'unknown', reachability: 'unreachable' }],
      'nodes 1/2 ready (labm1 unknown) · managers 1/2 reachable, leader vm',
    ],
    [
      'no leader named',
      [{ ...vm, leader: false, reachability: 'reachable' }, m1],
      'nodes 2/2 ready · managers 2/2 reachable, no leader',
    ],
    ['no nodes yet', [], 'nodes 0/0 ready'],
  ])('%s', (_what, nodes, text) => expect(nodesSummary(nodes)).toBe(text));
});
