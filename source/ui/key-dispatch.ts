import { completeCommand } from '../store/command-line.js';
import { runCommandLine } from '../console/command-runner.js';
import type { ExperimentFlow } from '../console/experiment-flow.js';
import type { FaultFlow } from '../console/fault-flow.js';
import { inputMode } from '../store/selectors.js';
import type { DeckStore } from '../store/state.js';
import { textField } from '../store/text-field.js';
import { helpLines } from './HelpOverlay.js';
import {
  dialogKey,
  fieldKey,
  helpKey,
  keyCommand,
  logsKey,
  type KeyCommand,
  type KeyFlags,
} from './keymap.js';
import { type ScreenLayout, tooSmall } from './layout.js';
import { logRows } from './LogsPane.js';

/** What the keys act on: the store, and the console's controllers where it has them. */
export interface KeyTargets {
  store: DeckStore;
  onQuit: () => void;
  /** Fault keys and dialogs; absent in read-only consoles and in tests of the live view. */
  flow?: FaultFlow | undefined;
  /** `R`: experiments; absent in read-only consoles. */
  experiments?: ExperimentFlow | undefined;
}

/**
 * One key press, to the one input mode the store holds: the dialog, the help, the logs, a text
 * field, or the normal mode (the pure keymap says what each key means; this carries it out).
 * `layout` is the screen's, for page sizes.
 */
export function dispatchKey(
  t: KeyTargets,
  layout: ScreenLayout,
  input: string,
  key: KeyFlags,
): void {
  const state = t.store.getState();
  if (tooSmall(state.ui.size)) return tooSmallKey(t, input, key);
  const mode = inputMode(state);
  if (mode === 'dialog') return dialogMode(t, input, key);
  if (mode === 'help') return helpMode(t, layout, input, key);
  if (mode === 'logs') return logsMode(t, layout, input, key);
  if (state.ui.field) return fieldMode(t, input, key);
  const command = keyCommand(input, key, state.ui.pane);
  if (command) normalMode(t, layout, command);
}

// Nothing on screen to act on: only the keys that need no selection.
function tooSmallKey(t: KeyTargets, input: string, key: KeyFlags): void {
  const state = t.store.getState();
  if (input === 'q' || (key.ctrl && input === 'c')) t.onQuit();
  else if (input === '!' && t.flow && !state.modes.readOnly) halt(t);
  else if (key.escape && state.dialog) t.flow?.key({ type: 'cancel' });
  else if (key.escape && state.ui.field) state.actions.cancelField();
}

function dialogMode(t: KeyTargets, input: string, key: KeyFlags): void {
  const dialog = t.store.getState().dialog;
  const d = dialogKey(input, key);
  if (d?.type === 'quit') t.onQuit();
  else if (d && dialog?.type === 'experiments') t.experiments?.key(dialog, d);
  else if (d) t.flow?.key(d);
}

function helpMode(t: KeyTargets, layout: ScreenLayout, input: string, key: KeyFlags): void {
  const state = t.store.getState();
  const h = helpKey(input, key);
  if (h?.type === 'quit') t.onQuit();
  else if (h?.type === 'close') state.actions.toggleHelp(false);
  else if (h) {
    const rows = layout.services + layout.tasks + layout.faults + layout.health - 2;
    const lines = helpLines(state.ui.size.columns, state.modes.readOnly).length;
    state.actions.scrollHelp(h.delta, Math.max(0, lines - rows));
  }
}

function logsMode(t: KeyTargets, layout: ScreenLayout, input: string, key: KeyFlags): void {
  const a = t.store.getState().actions;
  const l = logsKey(input, key);
  const rows = logRows(layout.tasks + layout.faults + layout.health);
  if (l?.type === 'quit') t.onQuit();
  else if (l?.type === 'close') a.closeLogs();
  else if (l?.type === 'scroll') a.scrollLogs(l.to, rows);
  else if (l?.type === 'page') a.scrollLogs(l.direction * Math.max(1, rows - 1), rows);
  else if (l?.type === 'search') a.openField('search');
}

function fieldMode(t: KeyTargets, input: string, key: KeyFlags): void {
  const state = t.store.getState();
  const a = state.actions;
  const field = state.ui.field!;
  const f = fieldKey(input, key, field, field.purpose);
  if (!f) return;
  if (f.type === 'quit') return t.onQuit();
  if (f.type === 'cancel') return a.cancelField();
  if (f.type === 'edit') return a.editOpenField(f.field);
  if (f.type === 'complete') return a.editOpenField(textField(completeCommand(field.text)));
  if (f.type === 'recall') return a.recallCommand(f.step);
  const done = a.commitField();
  if (done?.purpose === 'command' && done.text)
    runCommandLine(t.store, t.flow, done.text, t.onQuit);
}

function normalMode(t: KeyTargets, layout: ScreenLayout, command: KeyCommand): void {
  const state = t.store.getState();
  const a = state.actions;
  switch (command.type) {
    case 'quit':
      return t.onQuit();
    case 'move':
      return a.move(command.delta);
    case 'page':
      return a.move(
        command.direction *
          Math.max(1, (state.ui.pane === 'services' ? layout.services : layout.tasks) - 2),
      );
    case 'moveTo':
      return a.moveTo(command.where);
    case 'cyclePane':
      return a.cyclePane(command.step);
    case 'enter':
      // Down the one path it opens: a service's tasks, a task's health; elsewhere nothing (the
      // nodes, timers and activity have nothing under them).
      if (state.ui.pane === 'services') return a.focus('tasks');
      if (state.ui.pane === 'tasks') return a.focus('health');
      return;
    case 'back':
      return a.back();
    case 'open':
      return a.openField(command.field);
    case 'help':
      return a.toggleHelp();
    case 'lap':
      return a.toggleLap(Date.now());
    case 'report':
      return a.writeReport();
    case 'logs':
      return a.openLogs();
    case 'needsTask':
      return a.setNotice(
        `${command.key} acts on a task: Enter opens the service's tasks, then pick one`,
        'dim',
      );
    case 'experiments':
      if (!t.experiments || state.modes.readOnly)
        return a.setNotice('read-only: experiments are off (--read-only)', 'warn');
      return void t.experiments.open();
    case 'fault':
    case 'undo':
    case 'halt':
      if (!t.flow || state.modes.readOnly)
        return a.setNotice('read-only: faults are off (--read-only)', 'warn');
      if (command.type === 'fault') t.flow.open(command.kind);
      else if (command.type === 'undo') void t.flow.undoSelected();
      else halt(t);
      return;
  }
}

// An experiment halts first: its rollbacks run while its faults are being undone.
function halt(t: KeyTargets): void {
  t.experiments?.halt();
  void t.flow?.halt();
}
