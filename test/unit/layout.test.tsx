import { describe, expect, it } from 'vitest';
import { createDeckStore } from '../../source/store/deck-store.js';
import { healthPaneWidth } from '../../source/ui/layout.js';
import { healthNeed } from '../../source/ui/pane-text.js';
import { containerHealth, service, task } from '../helpers/fixtures.js';
import { keys, mount, plain, press, seededStore, settle } from '../helpers/console.js';

describe('healthPaneWidth', () => {
  it.each([
    ['nothing timed: half', 120, 40, 0, 60],
    ['nothing timed, long probe output: health widens, timers keep 44', 120, 300, 0, 76],
    ['short health, wide timers: health as wide as it needs', 120, 40, 70, 40],
    ['timers need more than there is: health keeps 30 %', 120, 40, 200, 36],
    ['both fit: health as wide as it needs (in steps of 8)', 160, 45, 70, 48],
    ['long probe output and a table: the table wins', 140, 200, 80, 60],
  ])('%s (%d columns, needs %d / %d) → %d', (_, columns, health, timers, width) =>
    expect(healthPaneWidth(columns, health, timers)).toBe(width),
  );
});

describe('what the health pane needs', () => {
  it("is worked out again when the selected container's health changes, not for a poll that changes nothing of it", () => {
    const store = createDeckStore({ size: { columns: 120, rows: 40 }, color: false });
    const a = store.getState().actions;
    const api = service({ id: 's1', name: 'api' });
    const t1 = task({ id: 't1', serviceId: 's1', containerId: 'c1' });
    a.setSwarm({ services: [api], tasks: [t1], at: 0 });
    const probe = (output: string) => ({ start: 1, end: 2, exitCode: 0, output });
    const ok = (output: string) =>
      ({ kind: 'ok', health: containerHealth({ probes: [probe(output)] }), at: 0 }) as const;
    a.setHealth('c1', ok('short'));
    const short = healthNeed(store.getState());
    // A poll that brings the same tasks in new objects elsewhere: the same need.
    a.setSwarm({ services: [api], tasks: [t1], at: 5000 });
    expect(healthNeed(store.getState())).toBe(short);
    a.setHealth('c1', ok('a much longer probe output line than the one before it, by far'));
    expect(healthNeed(store.getState())).toBeGreaterThan(short);
  });
});

describe('the health pane on screen', () => {
  it('shows each new probe, also after updates that change nothing it reads', async () => {
    const store = createDeckStore({ size: { columns: 120, rows: 40 }, color: false });
    const a = store.getState().actions;
    const api = service({ id: 's1', name: 'api' });
    const t1 = task({ id: 't1', serviceId: 's1', containerId: 'c1' });
    a.setSwarm({ services: [api], tasks: [t1], at: 0 });
    const ok = (output: string) =>
      ({
        kind: 'ok',
        health: containerHealth({ probes: [{ start: 1, end: 2, exitCode: 0, output }] }),
        at: 0,
      }) as const;
    const { lastFrame, unmount } = mount(store);
    a.setHealth('c1', ok('first probe says hello'));
    await settle();
    expect(plain(lastFrame())).toContain('first probe says hello');
    a.setSwarm({ services: [api], tasks: [t1], at: 5000 });
    a.setHealth('c1', ok('second probe says bye'));
    await settle();
    expect(plain(lastFrame())).toContain('second probe says bye');
    expect(plain(lastFrame())).not.toContain('first probe says hello');
    unmount();
  });
});

describe('the lower panes give text the room it needs', () => {
  const episode = {
    id: 'r1',
    serviceId: 'web',
    serviceName: 'lab_web',
    slotKey: '1',
    failedTaskId: 'w0',
    failedState: 'failed' as const,
    exitCode: 137,
    failedAt: 1_000,
    createdAt: 1_100,
    runningAt: 6_400,
    convergedAt: 6_500,
    hasHealthcheck: false,
    restartDelayMs: 5_000,
    retries: 0,
  };

  it('at 120×40 a recovery breakdown and the health status are whole beside each other', async () => {
    const store = seededStore(120, 40);
    const a = store.getState().actions;
    a.setHealth('c-web-1', {
      kind: 'ok',
      at: 0,
      health: containerHealth({ status: 'healthy', startedAt: 0, running: true, probes: [] }),
    });
    a.setRecoveries([episode]);
    const app = mount(store);
    await press(app.stdin, keys.enter);
    const frame = plain(app.lastFrame());
    // Each on one line of the frame, uncut.
    expect(frame).toMatch(
      /the restart delay of the service's restart policy accounts for 5\.0 s of 5\.5 s/,
    );
    expect(frame).toMatch(/created \+0\.1s · running \+5\.4s · converged \+5\.5s/);
    // The health pane gives way to the timers' text; its status wraps instead of being cut.
    expect(frame).toMatch(/healthy, failing streak 0 ·\s+lab_web.1 recovered in 5\.5s/);
    expect(frame).toMatch(/^ {4}running for \d+d/m);
    expect(frame).not.toMatch(/conve…|accou…/);
    app.unmount();
  });

  it.each([
    [
      120,
      40,
      [],
      /created \+0\.1s · started \+5\.1s · healthy \+7\.4s · running \+7\.4s · converged \+7\.4s\n/,
    ],
    // At 80×24 the timers pane is reached with Tab; the line breaks between phases.
    [
      80,
      24,
      [keys.tab, keys.tab],
      /created \+0\.1s · started \+5\.1s · healthy \+7\.4s · running \+7\.4s ·\n {6}converged \+7\.4s\n/,
    ],
  ] as [number, number, string[], RegExp][])(
    "at %d×%d a healthchecked recovery's phases are whole, in Swarm's order",
    async (w, h, taps, phases) => {
      const store = seededStore(w, h);
      store.getState().actions.setRecoveries([
        {
          ...episode,
          hasHealthcheck: true,
          startedAt: 6_100,
          healthyAt: 8_400,
          runningAt: 8_410,
          convergedAt: 8_410,
        },
      ]);
      const app = mount(store);
      await press(app.stdin, keys.enter);
      for (const k of taps) await press(app.stdin, k);
      expect(plain(app.lastFrame())).toMatch(phases);
      app.unmount();
    },
  );

  it('at 120×40 a task row shows a long Swarm error whole', async () => {
    const store = seededStore(120, 40);
    const s = store.getState();
    const error = 'No such container: lab_web.1.jecd975h1n5e1ag0fzpdijr3w';
    s.actions.setSwarm({
      services: s.services,
      nodes: s.nodes,
      tasks: s.tasks.map((t) => (t.id === 'w0' ? { ...t, state: 'rejected', error } : t)),
      at: 0,
    });
    const app = mount(store);
    await press(app.stdin, keys.enter);
    const frame = plain(app.lastFrame());
    expect(frame).toMatch(
      /rejected 9s ago +137 rejected: No such container: lab_web\.1\.jecd975h1n5e1ag0fzpdijr3w/,
    );
    // Selected, the health pane says it whole too (errors longer than the column wrap there).
    await press(app.stdin, keys.down);
    expect(plain(app.lastFrame())).toMatch(/^ {2}rejected: No such container/m);
    app.unmount();
  });
});

describe('the header', () => {
  it('names the version beside the product, at 80×24 too', async () => {
    const store = seededStore(80, 24);
    store.setState({ modes: { readOnly: false, dryRun: false, version: '0.1.0' } });
    const app = mount(store);
    await settle();
    expect(plain(app.lastFrame()).split('\n')[0]).toMatch(/^chaosdeck 0\.1\.0 {2}● live/);
    app.unmount();
  });
});
