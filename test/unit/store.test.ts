import { describe, expect, it } from 'vitest';
import { createDeckStore } from '../../source/store/deck-store.js';
import { memoLast, memoOn } from '../../source/store/memo.js';
import { textField } from '../../source/store/text-field.js';
import {
  inputMode,
  selectedService,
  selectedTaskRow,
  visibleServices,
} from '../../source/store/selectors.js';
import { service, task } from '../helpers/fixtures.js';

function seeded() {
  const store = createDeckStore();
  store.getState().actions.setSwarm({
    services: [
      service({ id: 'w', name: 'lab_web' }),
      service({ id: 'a', name: 'lab_api', desired: 2, running: 2 }),
      service({ id: 'd', name: 'lab_db' }),
    ],
    tasks: [
      task({ id: 'a1', serviceId: 'a', slot: 1, containerId: 'ca1' }),
      task({ id: 'a2', serviceId: 'a', slot: 2, containerId: 'ca2' }),
      task({ id: 'w1', serviceId: 'w', slot: 1, createdAt: 10, containerId: 'cw1' }),
    ],
    at: 0,
  });
  return store;
}

describe('deck store', () => {
  it('sorts services by name and moves with bounds', () => {
    const store = seeded();
    const s = () => store.getState();
    expect(visibleServices(s()).map((x) => x.name)).toEqual(['lab_api', 'lab_db', 'lab_web']);
    expect(selectedService(s())?.name).toBe('lab_api');
    s().actions.move(1);
    expect(selectedService(s())?.name).toBe('lab_db');
    s().actions.move(5);
    expect(selectedService(s())?.name).toBe('lab_web');
    s().actions.moveTo('top');
    expect(selectedService(s())?.name).toBe('lab_api');
    s().actions.move(-1);
    expect(selectedService(s())?.name).toBe('lab_api');
  });

  it('follows a slot to its replacement task when the current one was selected', () => {
    const store = seeded();
    const s = () => store.getState();
    s().actions.moveTo('bottom'); // lab_web
    s().actions.focus('tasks');
    s().actions.move(0);
    expect(selectedTaskRow(s())?.task.id).toBe('w1');
    s().actions.setSwarm({
      tasks: [
        ...s().tasks.map((t) =>
          t.id === 'w1' ? { ...t, state: 'failed' as const, desiredState: 'shutdown' as const } : t,
        ),
        task({ id: 'w2', serviceId: 'w', slot: 1, createdAt: 20, state: 'starting' }),
      ],
      at: 1,
    });
    expect(selectedTaskRow(s())?.task.id).toBe('w2');
    s().actions.move(1); // onto the history row: now pinned to it
    expect(selectedTaskRow(s())?.task.id).toBe('w1');
  });

  it('filters as the user types, keeps it on Enter and clears it on Esc', () => {
    const store = seeded();
    const s = () => store.getState();
    s().actions.openField('filter');
    s().actions.editOpenField(textField('re:^lab_(web|db)$'));
    expect(visibleServices(s()).map((x) => x.name)).toEqual(['lab_db', 'lab_web']);
    s().actions.commitField();
    expect(s().ui.field).toBeUndefined();
    expect(visibleServices(s())).toHaveLength(2);
    s().actions.back(); // Esc in the services pane clears the kept filter
    expect(visibleServices(s())).toHaveLength(3);
  });

  it('Esc closes help first, then leaves a pane', () => {
    const store = seeded();
    const s = () => store.getState();
    s().actions.focus('health');
    s().actions.toggleHelp();
    s().actions.back();
    expect(s().ui).toMatchObject({ help: false, pane: 'health' });
    s().actions.back();
    expect(s().ui.pane).toBe('services');
  });

  it('marks the data stale when the connection is lost', () => {
    const store = seeded();
    store.getState().actions.setConnection('reconnecting', 'EOF');
    expect(store.getState()).toMatchObject({
      stale: true,
      connection: 'reconnecting',
      connectionError: 'EOF',
    });
    store.getState().actions.setConnection('live');
    expect(store.getState().stale).toBe(false);
  });
});

describe('the clock', () => {
  it('ticks each second while a recovery is open or a lap runs, else only when the minute turns', () => {
    const store = createDeckStore();
    const a = store.getState().actions;
    // A later minute than the store was made in, so the first tick lands.
    const base = Math.floor(Date.now() / 60_000) * 60_000 + 120_000 + 10_000;
    a.tick(base);
    a.tick(base + 1000);
    expect(store.getState().now).toBe(base); // nothing shows seconds: same minute, no redraw
    a.toggleLap(base + 1000);
    a.tick(base + 2000);
    expect(store.getState().now).toBe(base + 2000);
    a.toggleLap(base + 2500);
    expect(store.getState().samples).toEqual([
      { name: 'manual', at: base + 1000, ms: 1500, ok: true, manual: true },
    ]);
    // A recorded lap is a sample: its sparkline keeps the clock ticking for a minute.
    a.tick(base + 3000);
    expect(store.getState().now).toBe(base + 3000);
    a.tick(base + 2500 + 62_000);
    a.tick(base + 2500 + 63_000);
    expect(store.getState().now).toBe(base + 2500 + 62_000);
  });

  it('names the timed action with l, Enter keeps it, Esc cancels', () => {
    const store = createDeckStore();
    const a = store.getState().actions;
    a.openField('name');
    // The current name opens selected: typing replaces it.
    expect(store.getState().ui.field).toMatchObject({ text: 'manual', selected: true });
    a.editOpenField(textField('log in'));
    a.commitField();
    expect(store.getState().stopwatch).toEqual({ action: 'log in' });
    a.openField('name');
    a.editOpenField(textField('other'));
    a.cancelField();
    expect(store.getState().stopwatch).toEqual({ action: 'log in' });
    a.openField('name');
    a.editOpenField(textField(''));
    a.commitField(); // Enter on an empty name keeps the current one
    expect(store.getState().stopwatch).toEqual({ action: 'log in' });
  });
});

describe('the record from the console', () => {
  const recorder = () => {
    const seen: string[] = [];
    return {
      seen,
      recordSample: (s: { name: string; ms: number }, source: string) =>
        seen.push(`${source} ${s.name} ${s.ms}`),
      note: (text: string) => seen.push(`note ${text}`),
      report: async () => ['/tmp/day.md'],
    };
  };

  it('a lap goes to the recorder when it stops; a note when Enter commits it', () => {
    const r = recorder();
    const store = createDeckStore({ recorder: r });
    const a = store.getState().actions;
    a.toggleLap(1000);
    expect(r.seen).toEqual([]);
    a.toggleLap(1800);
    a.openField('note');
    a.editOpenField(textField('login spinner stuck'));
    a.commitField();
    a.openField('note');
    a.editOpenField(textField('dropped'));
    a.cancelField();
    expect(r.seen).toEqual(['lap manual 800', 'note login spinner stuck']);
    expect(store.getState().notice?.text).toMatch(/note added to the journal/);
  });

  it.each([
    [{}, 'normal'],
    [{ ui: { field: { purpose: 'filter' } } }, 'filter'],
    [{ ui: { field: { purpose: 'note' } } }, 'note'],
    [{ ui: { field: { purpose: 'name' } } }, 'name'],
    [{ ui: { field: { purpose: 'command' } } }, 'command'],
    [{ ui: { help: true } }, 'help'],
    [{ ui: { help: true, field: { purpose: 'command' } } }, 'command'],
    [{ dialog: { type: 'leftovers' }, ui: { field: { purpose: 'note' } } }, 'dialog'],
  ] as const)('one input mode at a time: %j is %s', (patch, mode) => {
    const base = createDeckStore().getState();
    const state = {
      ...base,
      ...patch,
      ui: { ...base.ui, ...('ui' in patch ? patch.ui : {}) },
    } as unknown as Parameters<typeof inputMode>[0];
    expect(inputMode(state)).toBe(mode);
  });
});

describe('container health', () => {
  it('is kept only for containers the task list still knows', () => {
    const store = createDeckStore();
    const a = store.getState().actions;
    a.setSwarm({
      tasks: [
        task({ id: 't1', serviceId: 's', containerId: 'c1' }),
        task({ id: 't2', serviceId: 's', containerId: 'c2' }),
      ],
      at: 0,
    });
    a.setHealth('c1', { kind: 'gone' });
    a.setHealth('c2', { kind: 'gone' });
    const before = store.getState().health;
    a.setSwarm({
      tasks: [
        task({ id: 't1', serviceId: 's', containerId: 'c1' }),
        task({ id: 't2', serviceId: 's', containerId: 'c2' }),
      ],
      at: 1,
    });
    expect(store.getState().health).toBe(before); // nothing dropped: same object, no redraw
    a.setSwarm({ tasks: [task({ id: 't2', serviceId: 's', containerId: 'c2' })], at: 2 });
    expect(Object.keys(store.getState().health)).toEqual(['c2']);
  });
});

describe('memoOn', () => {
  it('works again only when an input it picks is another object', () => {
    let runs = 0;
    const sizeOf = memoOn(
      (s: { list: number[]; other: number }) => [s.list],
      (s) => (runs++, s.list.length),
    );
    const list = [1, 2];
    expect(sizeOf({ list, other: 1 })).toBe(2);
    expect(sizeOf({ list, other: 2 })).toBe(2);
    expect(runs).toBe(1);
    expect(sizeOf({ list: [1, 2, 3], other: 2 })).toBe(3);
    expect(runs).toBe(2);
  });

  it('memoLast compares every argument', () => {
    let runs = 0;
    const join = memoLast((a: string[], b: string) => (runs++, a.join(b)));
    const a = ['x', 'y'];
    expect(join(a, '-')).toBe('x-y');
    expect(join(a, '-')).toBe('x-y');
    expect(join(a, '+')).toBe('x+y');
    expect(runs).toBe(2);
  });
});
