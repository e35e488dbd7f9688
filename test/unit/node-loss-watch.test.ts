import { describe, expect, it } from 'vitest';
import { nodeLossWatch } from '../../source/console/node-loss-watch.js';
import type { NodeRecovery } from '../../source/domain/node-recovery.js';
import { node } from '../helpers/fixtures.js';

const target = {
  serviceId: 's',
  serviceName: 'lab_worker',
  taskId: 't',
  slotName: 'lab_worker.labw1',
  containerId: 'c',
  nodeId: 'w1',
  nodeName: 'labw1',
};

/** A manager whose node list says labw1 is ready, down, then ready again. */
function swarm(states: string[]) {
  let i = 0;
  return {
    listNodes: async () => {
      const state = states[Math.min(i++, states.length - 1)]!;
      return [
        node({ id: 'm', hostname: 'vm', leader: true }),
        node({ id: 'w1', hostname: 'labw1', role: 'worker', state, updatedAt: 1000 + i }),
      ];
    },
    listTasks: async () => [],
    listServices: async () => [],
  };
}

describe('nodeLossWatch: the console’s view of a cut node', () => {
  it('shows each look, and records the end in the journal once', async () => {
    const shown: NodeRecovery[] = [];
    const recorded: NodeRecovery[] = [];
    const w = nodeLossWatch(
      swarm(['ready', 'ready', 'down', 'ready']),
      (r) => shown.push(r),
      (r) => recorded.push(r),
    );
    w.start(target);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.readyAt).toBeDefined();
    expect(shown.length).toBeGreaterThan(2);
  });
  it('stopped (the console quits, the apply fails): nothing recorded', async () => {
    const recorded: NodeRecovery[] = [];
    const w = nodeLossWatch(
      swarm(['ready', 'down']),
      () => {},
      (r) => recorded.push(r),
    );
    w.start(target);
    await new Promise((resolve) => setTimeout(resolve, 400));
    w.stopAll();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(recorded).toEqual([]);
  });
});
