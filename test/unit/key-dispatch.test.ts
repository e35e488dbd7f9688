import { describe, expect, it } from 'vitest';
import { dispatchKey } from '../../source/ui/key-dispatch.js';
import { screenLayout } from '../../source/ui/layout.js';
import { seededStore } from '../helpers/console.js';

// The dispatch alone, without Ink: a key goes to the mode the store holds, and only there.
describe('dispatchKey', () => {
  function setup(columns = 120, rows = 40) {
    const store = seededStore(columns, rows);
    let quits = 0;
    const targets = { store, onQuit: () => quits++ };
    const layout = screenLayout(rows);
    const press = (input: string, key = {}) => dispatchKey(targets, layout, input, key);
    return { store, press, quits: () => quits };
  }

  it.each([
    ['the normal mode: q quits', [], 'q', 1],
    ['a text field: q is text', ['/'], 'q', 0],
    ['the help: q closes it, not the console', ['?'], 'q', 0],
  ])('%s', (_, before, key, quits) => {
    const t = setup();
    for (const k of before) t.press(k);
    t.press(key);
    expect(t.quits()).toBe(quits);
    expect(t.store.getState().ui.help).toBeFalsy();
  });

  it('a field keeps what is typed into it; Enter commits it', () => {
    const t = setup();
    t.press('/');
    for (const ch of 'lab_w') t.press(ch);
    expect(t.store.getState().ui.field?.text).toBe('lab_w');
    t.press('', { return: true });
    expect(t.store.getState().ui.field).toBeUndefined();
  });

  it('below 40×13 only the keys that need no selection act', () => {
    const t = setup(30, 10);
    t.press('j');
    t.press('/');
    expect(t.store.getState().ui.field).toBeUndefined();
    t.press('q');
    expect(t.quits()).toBe(1);
  });

  it.each([
    ['services', 'tasks'],
    ['tasks', 'health'],
    ['health', 'health'],
    ['timers', 'timers'],
    ['activity', 'activity'],
    ['nodes', 'nodes'],
  ] as const)('Enter in %s goes to %s', (from, to) => {
    const t = setup();
    t.store.getState().actions.focus(from);
    t.press('', { return: true });
    expect(t.store.getState().ui.pane).toBe(to);
  });

  it('a fault key without a controller says faults are off', () => {
    const t = setup();
    t.press('', { return: true });
    t.press('p');
    expect(t.store.getState().notice?.text).toMatch(/faults are off/);
  });
});
