import { describe, expect, it } from 'vitest';
import { watchClusterFaults } from '../../source/console/cluster-watch.js';
import type { FaultRecord } from '../../source/domain/fault.js';
import { mount, plain, seededStore, settle } from '../helpers/console.js';
import { target } from '../helpers/fake-chaos.js';

const pause = (id: string, extra: Partial<FaultRecord> = {}): FaultRecord => ({
  id,
  kind: 'pause',
  target: { ...target, slotName: 'lab_web.1', nodeName: 'labw1' },
  params: {},
  appliedAt: Date.now() - 5000,
  undo: { kind: 'unpause', containerId: 'c1', nodeId: 'n1' },
  status: 'active',
  pid: 4242,
  ...extra,
});

describe("other owners' faults in the console", () => {
  it("shows the swarm's faults this console does not hold, with their owner, after its own", async () => {
    const store = seededStore(100, 30);
    store.getState().actions.setFaults([pause('mine')]);
    const stop = watchClusterFaults(store, async () => ({
      records: [
        { record: pause('mine'), owner: 'root@vm', aliveAt: Date.now() },
        {
          record: pause('theirs', { endsAt: Date.now() + 60_000 }),
          owner: 'bo@desk',
          aliveAt: Date.now(),
        },
      ],
    }));
    await settle();
    stop();
    expect(store.getState().othersFaults.map((f) => [f.id, f.owner])).toEqual([
      ['theirs', 'bo@desk'],
    ]);
    const app = mount(store);
    await settle();
    const frame = plain(app.lastFrame());
    expect(frame).toMatch(/Active faults 1 · others' 1 · u undo/);
    const lines = frame.split('\n');
    const mine = lines.findIndex((l) =>
      /pause on lab_web\.1 @ labw1 · until undone$/.test(l.trimEnd()),
    );
    const theirs = lines.findIndex((l) =>
      /pause on lab_web\.1 @ labw1 · \w+ left · by bo@desk/.test(l),
    );
    expect(mine).toBeGreaterThan(0);
    expect(theirs, frame).toBe(mine + 1);
    app.unmount();
  });

  it('keeps the last list when the swarm cannot be read, and stops reading when stopped', async () => {
    const store = seededStore();
    let calls = 0;
    const stop = watchClusterFaults(
      store,
      async () => {
        calls++;
        if (calls === 1) return { records: [{ record: pause('x'), owner: 'a@b', aliveAt: 0 }] };
        throw new Error('manager gone');
      },
      10,
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    const seen = calls;
    expect(seen).toBeGreaterThan(1);
    expect(store.getState().othersFaults.map((f) => f.id)).toEqual(['x']);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls).toBe(seen);
  });

  it("marks another's fault whose holder has been silent 30 s or more", async () => {
    const store = seededStore(100, 30);
    const now = Date.now();
    store.getState().actions.tick(now);
    store.getState().actions.setOthersFaults([
      { ...pause('alive'), owner: 'bo@desk', aliveAt: now - 5_000 },
      { ...pause('gone'), owner: 'cy@vpn', aliveAt: now - 40_000 },
    ]);
    const app = mount(store);
    await settle();
    const frame = plain(app.lastFrame());
    expect(frame).toMatch(/until undone · by bo@desk\s*$/m);
    expect(frame).toMatch(/until undone · by cy@vpn, silent 40s \(gone\?\)/);
    app.unmount();
  });
});
