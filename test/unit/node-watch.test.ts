import { describe, expect, it } from 'vitest';
import { watchNode } from '../../source/live/node-watch.js';
import { node, service, task } from '../helpers/fixtures.js';

/** A manager whose lists answer from a script of looks: a node lost, then back. */
function scriptedSwarm(states: ('ready' | 'down' | 'fail')[]) {
  let i = 0;
  const now = () => states[Math.min(i, states.length - 1)]!;
  const agent = service({ id: 'g', name: 'agent', mode: 'global' });
  return {
    async listNodes() {
      const s = now();
      i++;
      if (s === 'fail') throw new Error('The swarm does not have a leader');
      return [node({ id: 'w1', hostname: 'labw1', role: 'worker', state: s, updatedAt: 1000 + i })];
    },
    // Its global task, run again by Swarm once the node is back (since the latest look).
    listTasks: async () => [
      task({ id: 't', serviceId: 'g', slot: undefined, nodeId: 'w1', stateSince: 1000 + i }),
    ],
    listServices: async () => [agent],
  };
}

describe('watchNode, against a fake manager', () => {
  it('records the loss and the return with no onLook given (nothing but the result)', async () => {
    const swarm = scriptedSwarm(['ready', 'down', 'down', 'ready']);
    const w = watchNode(swarm, node({ id: 'w1', hostname: 'labw1', role: 'worker' }), 0, {
      deadline: Date.now() + 5000,
      everyMs: 1,
    });
    const { recovery, complete } = await w.result;
    expect(complete).toBe(true);
    expect([recovery.downAt, recovery.readyAt]).toEqual([1002, 1004]);
  });
  it('counts a refused list as the API down, and the next answer as back', async () => {
    const swarm = scriptedSwarm(['ready', 'fail', 'fail', 'down', 'ready']);
    const w = watchNode(swarm, node({ id: 'w1', hostname: 'labw1', role: 'worker' }), 0, {
      deadline: Date.now() + 5000,
      everyMs: 1,
    });
    const { recovery } = await w.result;
    expect(recovery.controlPlane?.apiDownAt).toBeLessThanOrEqual(recovery.controlPlane!.apiBackAt!);
    expect(recovery.readyAt).toBeDefined();
  });
  it('ends at the deadline with what it saw when the node never comes back', async () => {
    const w = watchNode(
      scriptedSwarm(['ready', 'down']),
      node({ id: 'w1', hostname: 'labw1', role: 'worker' }),
      0,
      {
        deadline: Date.now() + 50,
        everyMs: 1,
      },
    );
    const { recovery, complete } = await w.result;
    expect([complete, recovery.downAt !== undefined, recovery.readyAt]).toEqual([
      false,
      true,
      undefined,
    ]);
  });
});
