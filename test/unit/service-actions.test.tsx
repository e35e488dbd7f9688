import { describe, expect, it, vi } from 'vitest';
import type { GameDayFaults } from '../../source/game-day/game-day-faults.js';
import type { JournalBody } from '../../source/record/journal-events.js';
import {
  runServiceAction,
  type ServiceAction,
  type ServiceActionDeps,
} from '../../source/game-day/service-actions.js';
import { FaultFlow } from '../../source/console/fault-flow.js';
import { keys, mount, plain, press, seededStore } from '../helpers/console.js';

const api = { id: 's1', name: 'lab_api', mode: 'replicated' as const, desired: 2 };

function deps(patch: Partial<ServiceActionDeps> = {}) {
  const calls: string[] = [];
  const journal: JournalBody[] = [];
  const audit: { action: string; result: string }[] = [];
  const d: ServiceActionDeps = {
    swarm: {
      scaleService: async (id, n) => void calls.push(`scale ${id} ${n}`),
      restartService: async (id) => void calls.push(`restart ${id}`),
    },
    audit: { write: (e) => (audit.push(e), e as never) },
    log: (b) => journal.push(b),
    protect: [],
    readOnly: false,
    dryRun: false,
    ...patch,
  };
  return { d, calls, journal, audit };
}

describe('runServiceAction: scale and restart through the guards', () => {
  it.each<
    [
      string,
      Partial<ServiceActionDeps>,
      typeof api | { mode: 'global' },
      ServiceAction,
      string,
      string[],
    ]
  >([
    ['scale', {}, api, { kind: 'scale', replicas: 3 }, 'done', ['scale s1 3']],
    ['restart', {}, api, { kind: 'restart' }, 'done', ['restart s1']],
    ['read-only', { readOnly: true }, api, { kind: 'restart' }, 'refused', []],
    ['protected', { protect: [/^lab_api$/] }, api, { kind: 'scale', replicas: 0 }, 'refused', []],
    ['a global service', {}, { mode: 'global' }, { kind: 'scale', replicas: 3 }, 'refused', []],
    ['dry-run', { dryRun: true }, api, { kind: 'scale', replicas: 1 }, 'dry-run', []],
  ])('%s', async (_n, patch, service, action, outcome, calls) => {
    const t = deps(patch);
    const r = await runServiceAction(t.d, { ...api, ...service }, action);
    expect(r.outcome).toBe(outcome);
    expect(t.calls).toEqual(calls);
    expect(t.journal).toHaveLength(1);
    expect(t.journal[0]).toMatchObject({
      type: 'service-action',
      action: action.kind,
      service: 'lab_api',
    });
    expect(t.audit[0]).toMatchObject({ action: action.kind });
  });
  it("a failure is journaled with the engine's words", async () => {
    const t = deps({
      swarm: {
        scaleService: async () => {
          throw new Error('update out of sequence');
        },
        restartService: async () => undefined,
      },
    });
    expect(await runServiceAction(t.d, api, { kind: 'scale', replicas: 3 })).toEqual({
      outcome: 'failed',
      reason: 'update out of sequence',
    });
    expect(t.journal[0]).toMatchObject({
      outcome: 'failed',
      from: 2,
      to: 3,
      error: 'update out of sequence',
    });
  });
});

describe(':scale and :restart in the console', () => {
  function consoleWith() {
    const store = seededStore(120, 40);
    const serviceAction = vi.fn(async () => ({ outcome: 'done' as const }));
    const chaos = { serviceAction } as unknown as GameDayFaults;
    const app = mount(store, () => undefined, new FaultFlow(store, chaos, { yes: false }));
    return { store, app, serviceAction, frame: () => plain(app.lastFrame()) };
  }
  it(':scale 3 asks y/n about the selected service, then scales it', async () => {
    const t = consoleWith();
    await press(t.app.stdin, ':', ...'scale 3'.split(''), keys.enter);
    expect(t.frame()).toMatch(/Scale lab_web from 1 to 3 replicas \(1 running now\)/);
    expect(t.serviceAction).not.toHaveBeenCalled();
    await press(t.app.stdin, 'y');
    await vi.waitFor(() => expect(t.frame()).toMatch(/scale lab_web 1 → 3: Swarm is on it/));
    expect(t.serviceAction).toHaveBeenCalledWith(expect.objectContaining({ name: 'lab_web' }), {
      kind: 'scale',
      replicas: 3,
    });
    t.app.unmount();
  });
  it(':restart then Esc changes nothing', async () => {
    const t = consoleWith();
    await press(t.app.stdin, ':', ...'restart'.split(''), keys.enter);
    expect(t.frame()).toMatch(/Restart lab_web: Swarm replaces each of its tasks/);
    await press(t.app.stdin, keys.esc);
    expect(t.frame()).toMatch(/restart lab_web cancelled/);
    expect(t.serviceAction).not.toHaveBeenCalled();
    t.app.unmount();
  });
});
