import { describe, expect, it, vi } from 'vitest';
import type { GameDayFaults } from '../../source/game-day/game-day-faults.js';
import { createDeckStore } from '../../source/store/deck-store.js';
import { FaultFlow } from '../../source/console/fault-flow.js';
import { node, service, task } from '../helpers/fixtures.js';

/** A store with one service and its running task selected in the tasks pane. */
function storeWithTask() {
  const store = createDeckStore({ size: { columns: 120, rows: 40 }, color: false });
  const a = store.getState().actions;
  a.setSwarm({
    services: [service({ id: 's', name: 'lab_api' })],
    nodes: [node({ id: 'n1', hostname: 'vm', leader: true })],
    tasks: [task({ id: 't', serviceId: 's', containerId: 'c1' })],
    at: 0,
  });
  a.focus('tasks');
  return store;
}

describe('fault flow', () => {
  it('Esc while the target is being checked cancels, and the late answer is dropped', async () => {
    const store = storeWithTask();
    let answer!: () => void;
    const run = vi.fn();
    const chaos = {
      guard: () => new Promise((resolve) => (answer = () => resolve({ verdict: 'ok' }))),
      check: async () => ({ description: 'pause' }),
      run,
    } as unknown as GameDayFaults;
    const flow = new FaultFlow(store, chaos, { yes: true });
    flow.open('pause');
    flow.key({ type: 'submit' });
    expect(store.getState().dialog).toMatchObject({ stage: 'checking' });
    flow.key({ type: 'cancel' });
    expect(store.getState().dialog).toBeUndefined();
    answer();
    await vi.waitFor(() => expect(store.getState().notice?.text).toBe('pause cancelled'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.getState().dialog).toBeUndefined();
    expect(run).not.toHaveBeenCalled();
  });

  it('u on a replacement task undoes its service-scope limit; a task fault elsewhere stays', async () => {
    const store = storeWithTask();
    const fault = (id: string, taskId: string, undo: { kind: string }) =>
      ({
        id,
        kind: 'memory',
        target: { taskId, serviceId: 's', nodeId: 'n1' },
        undo,
        status: 'active',
      }) as never;
    store
      .getState()
      .actions.setFaults([
        fault('svc', 'old-task', { kind: 'service-limits' }),
        fault('other', 'other-task', { kind: 'memory' }),
      ]);
    const undone: string[] = [];
    const chaos = {
      undoWhere: async (match: (r: { id: string }) => boolean) => {
        for (const r of store.getState().faults) if (match(r)) undone.push(r.id);
        return { undone: [], gone: [], died: [], failed: [] };
      },
    } as unknown as GameDayFaults;
    await new FaultFlow(store, chaos, { yes: true }).undoSelected();
    expect(undone).toEqual(['svc']);
  });

  describe('helpers offered for a node without an endpoint', () => {
    const offerOn = (reachable: boolean) => {
      const store = storeWithTask();
      const enable = vi.fn(() => (reachable = true));
      const chaos = {
        guard: async () => ({ verdict: 'ok' }),
        check: async () => ({ description: 'pause' }),
        run: vi.fn(),
      } as unknown as GameDayFaults;
      const flow = new FaultFlow(store, chaos, {
        yes: false,
        helpers: {
          image: 'docker:cli',
          socket: '/var/run/docker.sock',
          reachable: () => reachable,
          enable,
        },
      });
      return { store, flow, enable };
    };
    const y = { type: 'edit', input: 'y', key: {} } as const;
    const n = { type: 'edit', input: 'n', key: {} } as const;

    it('the first fault key asks, naming the image and the socket; y turns them on and goes on', () => {
      const { store, flow, enable } = offerOn(false);
      flow.open('pause');
      expect(store.getState().dialog).toMatchObject({
        type: 'helpers',
        nodeName: 'vm',
        image: 'docker:cli',
        socket: '/var/run/docker.sock',
      });
      flow.key(y);
      expect(enable).toHaveBeenCalledOnce();
      expect(store.getState().dialog).toMatchObject({ type: 'fault', kind: 'pause' });
    });

    it('n leaves them off, says how to reach the node, and is not asked again', () => {
      const { store, flow, enable } = offerOn(false);
      flow.open('kill');
      flow.key(n);
      expect(enable).not.toHaveBeenCalled();
      expect(store.getState().dialog).toBeUndefined();
      expect(store.getState().notice?.text).toBe(
        'vm not reached: give --node vm=URL, or start with --helpers',
      );
      flow.open('kill');
      expect(store.getState().dialog).toMatchObject({ type: 'fault', kind: 'kill' });
    });

    it('a node that can be reached, and a drain (through the manager), are not asked about', () => {
      const reached = offerOn(true);
      reached.flow.open('pause');
      expect(reached.store.getState().dialog).toMatchObject({ type: 'fault' });
      const drain = offerOn(false);
      drain.flow.open('drain');
      expect(drain.store.getState().dialog?.type).not.toBe('helpers');
    });
  });
});
