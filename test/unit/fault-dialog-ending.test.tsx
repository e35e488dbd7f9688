import { describe, expect, it, vi } from 'vitest';
import { watchdogPromise, type WatchdogPlan } from '../../source/chaos/watchdogs.js';
import { FaultFlow } from '../../source/console/fault-flow.js';
import type { FaultRequest } from '../../source/faults/prepare.js';
import type { GameDayFaults } from '../../source/game-day/game-day-faults.js';
import { keys, mount, plain, press, seededStore } from '../helpers/console.js';
import { plan } from '../helpers/swarm-configs.js';

/** The console on lab_web's task, its faults checked fine; windows as the dialog's duration. */
async function consoleWith(p: WatchdogPlan | undefined) {
  const store = seededStore(120, 40);
  const chaos = {
    guard: async () => ({ verdict: 'ok' }),
    check: async (r: FaultRequest) => ({
      description: `${r.kind}`,
      ...(r.params.duration ? { durationMs: 30_000 } : {}),
    }),
    run: async () => undefined,
  } as unknown as GameDayFaults;
  const flow = new FaultFlow(store, chaos, {
    yes: false,
    ending: (timed) => watchdogPromise(timed, p),
  });
  const app = mount(store, () => undefined, flow);
  await press(app.stdin, keys.enter);
  return { app, frame: () => plain(app.lastFrame()) };
}

describe('the confirmation says what ends the fault if the console is gone', () => {
  it.each([
    [
      'a window, with a watchdog',
      plan,
      ['3', '0', 's'],
      /its window ends on time even without chaosdeck/,
    ],
    [
      'untimed, with a watchdog',
      plan,
      [],
      /the cluster undoes it 1 min after chaosdeck goes silent/,
    ],
    ['without a watchdog', undefined, [], /ends only while chaosdeck runs \(no watchdog\)/],
  ])('%s', async (_name, p, typed, said) => {
    const t = await consoleWith(p);
    await press(t.app.stdin, 'p', ...(typed.length ? typed : [keys.backspace]));
    await press(t.app.stdin, keys.enter);
    await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
    expect(t.frame()).toMatch(new RegExp(`if this console is gone: ${said.source}`));
    t.app.unmount();
  });
});
