import { describe, expect, it, vi } from 'vitest';
import type { FaultService } from '../../source/session/fault-service.js';
import type { FaultRecord } from '../../source/domain/fault.js';
import { createDeckStore } from '../../source/store/deck-store.js';
import { watchFaultTargets } from '../../source/store/target-watch.js';
import { target } from '../helpers/fake-chaos.js';
import { task } from '../helpers/fixtures.js';

const fault = (patch: Partial<FaultRecord>): FaultRecord => ({
  id: 'f',
  kind: 'cpu',
  target: { ...target, taskId: 't1' },
  params: {},
  appliedAt: 1,
  undo: {
    kind: 'cpu',
    containerId: 'c1',
    nodeId: 'n1',
    previous: { nanoCpus: 5e8, cpuQuota: 0, cpuPeriod: 0 },
  },
  status: 'active',
  pid: 1,
  ...patch,
});

describe('fault targets that die', () => {
  it.each([
    ['failed', fault({}), true],
    ['shutdown', fault({}), true],
    ['running', fault({}), false],
    [
      'failed',
      fault({ kind: 'drain', undo: { kind: 'availability', nodeId: 'n1', previous: 'active' } }),
      false,
    ],
    ['failed', fault({ status: 'applying' }), false],
  ] as const)('task %s with %o: settled now = %s', async (state, f, settled) => {
    const store = createDeckStore({});
    const undoWhere = vi.fn(async () => ({ undone: [], gone: [], died: [f], failed: [] }));
    const stop = watchFaultTargets(store, { undoWhere } as unknown as FaultService);
    store.getState().actions.setFaults([f]);
    store
      .getState()
      .actions.setSwarm({ tasks: [task({ id: 't1', serviceId: 's', state })], at: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(undoWhere).toHaveBeenCalledTimes(settled ? 1 : 0);
    if (settled)
      expect(store.getState().notice?.text).toBe(
        `web.1 ${state}: its cpu fault ended with its container (Swarm's replacement runs with the service's own settings)`,
      );
    stop();
  });
});
