import { describe, expect, it, vi } from 'vitest';
import type { FaultRequest } from '../../source/faults/prepare.js';
import type { GameDayFaults } from '../../source/game-day/game-day-faults.js';
import type { DeckStore } from '../../source/store/deck-store.js';
import { FaultFlow } from '../../source/console/fault-flow.js';
import { inputMode } from '../../source/store/selectors.js';
import { keys, mount, plain, press, seededStore } from '../helpers/console.js';

/** A fault service that checks everything fine and records what it would run. */
function recordingFlow(store: DeckStore) {
  const ran: FaultRequest[] = [];
  const chaos = {
    guard: async () => ({ verdict: 'ok' }),
    check: async (r: FaultRequest) => ({ description: `${r.kind} ${JSON.stringify(r.params)}` }),
    run: async (r: FaultRequest) => void ran.push(r),
    undoWhere: async () => ({ undone: [], gone: [], died: [], failed: [] }),
    undoAll: async () => ({ undone: [], gone: [], died: [], failed: [] }),
  } as unknown as GameDayFaults;
  return { flow: new FaultFlow(store, chaos, { yes: false }), ran };
}

/** The console with lab_web's task selected in the tasks pane. */
async function onTask(columns = 120, rows = 40) {
  const store = seededStore(columns, rows);
  const { flow, ran } = recordingFlow(store);
  let quits = 0;
  const app = mount(store, () => quits++, flow);
  await press(app.stdin, keys.enter);
  expect(store.getState().ui.pane).toBe('tasks');
  return { store, app, ran, quits: () => quits, frame: () => plain(app.lastFrame()) };
}

const field = (store: DeckStore) => store.getState().ui.field?.text;
const dialogField = (store: DeckStore) => {
  const d = store.getState().dialog;
  return d?.type === 'fault' ? d.fields[d.index]?.input.text : undefined;
};

describe('every key goes to the one input mode', () => {
  // Keys that are commands in the normal mode: typed into a field they are text.
  const dangerous = ['q', 's', 'x', ' ', '!', 'u', 'j', 'g', ':', '/', '?'];

  it.each([
    ['filter', '/', (s: DeckStore) => field(s)],
    ['note', 'N', (s: DeckStore) => field(s)],
    ['name', 'l', (s: DeckStore) => field(s)],
    ['command', ':', (s: DeckStore) => field(s)],
    ['dialog field', 'c', dialogField],
  ] as const)(
    '%s: q, s, x, space, ! … typed are text, never a command',
    async (_n, opener, text) => {
      const t = await onTask();
      await press(t.app.stdin, opener, ...dangerous);
      expect(text(t.store)).toBe(dangerous.join(''));
      expect(t.quits()).toBe(0);
      expect(t.ran).toEqual([]);
      expect(t.store.getState().stopwatch.lapStart).toBeUndefined();
      expect(t.store.getState().ui.help).toBe(false);
      t.app.unmount();
    },
  );

  it('l then q does not quit: Enter names the action, and only then q quits', async () => {
    const t = await onTask(80, 24);
    await press(t.app.stdin, 'l', ...'log in'.split(''), 'q');
    expect(t.quits()).toBe(0);
    expect(t.frame()).toMatch(/action name: log inq/);
    await press(t.app.stdin, keys.backspace, keys.enter);
    expect(t.store.getState().stopwatch.action).toBe('log in');
    expect(inputMode(t.store.getState())).toBe('normal');
    await press(t.app.stdin, 'q');
    expect(t.quits()).toBe(1);
    t.app.unmount();
  });

  it('Enter in a field commits it and does not open a pane; Esc in a field does not leave the pane', async () => {
    const t = await onTask();
    await press(t.app.stdin, 'N', 'x', keys.esc);
    expect(t.store.getState().ui.pane).toBe('tasks');
    await press(t.app.stdin, 'l', keys.enter);
    expect(t.store.getState().ui.pane).toBe('tasks');
    t.app.unmount();
  });
});

describe('fields edit like a shell', () => {
  it.each([
    [80, 24],
    [120, 40],
  ])(
    'at %i×%i: c opens with its default selected; typing 0.2 replaces it; y applies 0.2',
    async (c, r) => {
      const t = await onTask(c, r);
      await press(t.app.stdin, 'c');
      expect(t.frame()).toMatch(/› CPU limit: 50%/);
      await press(t.app.stdin, ...'0.2'.split(''));
      expect(dialogField(t.store)).toBe('0.2');
      expect(t.frame()).toMatch(/› CPU limit: 0\.2/);
      expect(t.frame()).not.toMatch(/50%0\.2/);
      await press(t.app.stdin, keys.enter);
      await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
      await press(t.app.stdin, 'y');
      await vi.waitFor(() => expect(t.ran).toHaveLength(1));
      expect(t.ran[0]!.params).toMatchObject({ cpus: '0.2', scope: 'container' });
      t.app.unmount();
    },
  );

  it('←, Home, End, Ctrl-A/E/U/W move and delete in a dialog field', async () => {
    const t = await onTask();
    await press(t.app.stdin, 'm', ...'384m'.split(''), keys.left, keys.left, 'X');
    expect(dialogField(t.store)).toBe('38X4m');
    await press(t.app.stdin, keys.home, 'A', keys.end, 'Z');
    expect(dialogField(t.store)).toBe('A38X4mZ');
    await press(t.app.stdin, keys.ctrlA, keys.right, keys.ctrlU);
    expect(dialogField(t.store)).toBe('38X4mZ');
    await press(t.app.stdin, keys.ctrlE, ' more', keys.ctrlW);
    expect(dialogField(t.store)).toBe('38X4mZ ');
    t.app.unmount();
  });

  it('Backspace on a default empties it; Enter on an empty required field takes the default', async () => {
    const t = await onTask();
    await press(t.app.stdin, 'x', keys.backspace);
    expect(dialogField(t.store)).toBe('');
    expect(t.frame()).toMatch(/empty: SIGKILL/);
    await press(t.app.stdin, keys.enter);
    await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
    await press(t.app.stdin, 'y');
    await vi.waitFor(() => expect(t.ran[0]?.params).toEqual({ signal: 'SIGKILL' }));
    t.app.unmount();
  });

  it('a burst pasted into a field goes in whole; its Enter submits', async () => {
    const t = await onTask();
    await press(t.app.stdin, 'p', '45s\r');
    await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
    await press(t.app.stdin, 'y');
    await vi.waitFor(() => expect(t.ran[0]?.params).toEqual({ duration: '45s' }));
    t.app.unmount();
  });
});

describe('keys by pane', () => {
  it.each(['x', 's', 'p', 'c', 'm', 'd', 'n', 'u'])(
    '%s in the services pane opens nothing and says why',
    async (k) => {
      const store = seededStore(120, 40);
      const { flow, ran } = recordingFlow(store);
      const app = mount(store, () => undefined, flow);
      await press(app.stdin, k);
      expect(store.getState().dialog).toBeUndefined();
      expect(ran).toEqual([]);
      expect(plain(app.lastFrame())).toMatch(new RegExp(`${k} acts on a task`));
      app.unmount();
    },
  );

  it('the footer lists fault keys only where they work', async () => {
    const t = await onTask();
    expect(t.frame().split('\n').at(-1)).toMatch(/x kill · s stop/);
    await press(t.app.stdin, keys.esc);
    expect(t.store.getState().ui.pane).toBe('services');
    expect(t.frame().split('\n').at(-1)).not.toMatch(/x kill|s stop/);
    t.app.unmount();
  });
});

describe('the : command line', () => {
  it(':svc jumps, :sort orders, Tab completes, an unknown command says so', async () => {
    const store = seededStore(120, 40);
    const app = mount(store);
    await press(app.stdin, ':', 'sv', keys.tab);
    expect(field(store)).toBe('svc ');
    await press(app.stdin, ...'svc-03'.split(''), keys.enter);
    expect(store.getState().ui).toMatchObject({ selectedServiceId: 's3', pane: 'tasks' });
    await press(app.stdin, ':', ...'sort replicas'.split(''), keys.enter);
    // svc-03 is the one short of its count: first.
    expect(plain(app.lastFrame())).toMatch(/Services[^\n]*\n[^\n]*\n[^\n]*svc-03/);
    await press(app.stdin, ':', ...'frobnicate'.split(''), keys.enter);
    expect(plain(app.lastFrame())).toMatch(/no command "frobnicate"/);
    app.unmount();
  });

  it('↑/↓ in the command line recall earlier lines, newest first, and bring back the one typed', async () => {
    const store = seededStore(120, 40);
    const app = mount(store);
    await press(app.stdin, ':', ...'sort replicas'.split(''), keys.enter);
    await press(app.stdin, ':', ...'sort name'.split(''), keys.enter);
    await press(app.stdin, ':', ...'svc lab_web'.split(''), keys.enter);
    await press(app.stdin, ':', ...'svc lab_web'.split(''), keys.enter);
    expect(store.getState().ui.history).toEqual(['sort replicas', 'sort name', 'svc lab_web']);
    await press(app.stdin, ':', ...'no'.split(''), keys.up);
    expect(field(store)).toBe('svc lab_web');
    expect(plain(app.lastFrame()).split('\n').at(-1)).toMatch(/^:svc lab_web/);
    await press(app.stdin, keys.up, keys.up, keys.up);
    expect(field(store)).toBe('sort replicas');
    await press(app.stdin, keys.down, keys.down, keys.down);
    expect(field(store)).toBe('no');
    // A recalled line runs like a typed one; ↑ in a field moves no cursor in the services list.
    const selected = store.getState().ui.selectedServiceId;
    expect(store.getState().ui.sort).toBe('name');
    await press(app.stdin, keys.ctrlU, keys.up, keys.up, keys.up, keys.enter);
    expect(store.getState().ui.sort).toBe('replicas');
    expect(store.getState().ui.selectedServiceId).toBe(selected);
    app.unmount();
  });
  it(':pause 30s on a task asks, as the key does, and pauses for 30 s', async () => {
    const t = await onTask();
    await press(t.app.stdin, ':', ...'pause 30s'.split(''), keys.enter);
    await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
    expect(t.ran).toEqual([]);
    await press(t.app.stdin, 'y');
    await vi.waitFor(() =>
      expect(t.ran[0]).toMatchObject({ kind: 'pause', params: { duration: '30s' } }),
    );
    t.app.unmount();
  });

  it(':net delay 1s and :cpu 0.2 service fill the fields the scripted commands would', async () => {
    const t = await onTask();
    await press(t.app.stdin, ':', ...'net delay 1s --jitter 100ms'.split(''), keys.enter);
    await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
    await press(t.app.stdin, 'y');
    await press(t.app.stdin, ':', ...'cpu 0.2 service 1m'.split(''), keys.enter);
    await vi.waitFor(() => expect(t.frame()).toMatch(/y = go ahead/));
    await press(t.app.stdin, 'y');
    await vi.waitFor(() => expect(t.ran).toHaveLength(2));
    expect(t.ran[0]!.params).toMatchObject({ type: 'delay', amount: '1s', jitter: '100ms' });
    expect(t.ran[1]!.params).toMatchObject({ cpus: '0.2', scope: 'service', duration: '1m' });
    t.app.unmount();
  });
});
