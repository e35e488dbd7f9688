import type { DialogCommand } from '../store/fault-flow.js';
/** The subset of Ink's key flags chaosdeck reads. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** What a key press means. */
export type KeyCommand =
  | { type: 'move'; delta: number }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'moveTo'; where: 'top' | 'bottom' }
  | { type: 'cyclePane'; step: 1 | -1 }
  | { type: 'enter' }
  | { type: 'back' }
  | { type: 'startFilter' }
  | { type: 'filterText'; text: string }
  | { type: 'commitFilter' }
  | { type: 'cancelFilter' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'fault'; kind: 'kill' | 'stop' | 'pause' | 'cpu' | 'memory' | 'drain' | 'net' }
  | { type: 'undo' }
  | { type: 'halt' }
  | { type: 'lap' }
  | { type: 'startNaming' }
  | { type: 'nameText'; text: string }
  | { type: 'commitName' }
  | { type: 'cancelName' }
  | { type: 'startNote' }
  | { type: 'noteText'; text: string }
  | { type: 'commitNote' }
  | { type: 'cancelNote' }
  | { type: 'report' };

/** The mode the keyboard is in. */
export type KeyMode = 'normal' | 'filter' | 'help' | 'dialog' | 'name' | 'note';

/** One documented key, for the help overlay, the footer and the README. */
export interface KeyHelp {
  keys: string;
  /** Footer label (one or two words). */
  short: string;
  action: string;
  panes: ('services' | 'tasks' | 'health' | 'timers' | 'activity' | 'all')[];
  /** A key that changes the swarm: hidden under --read-only. */
  fault?: boolean;
}

/** A key that acts on the selected task. */
function faultKey(keys: string, short: string, action: string): KeyHelp {
  return { keys, short, action, panes: ['tasks', 'health'], fault: true };
}

/** Every key, in the order the help overlay lists them. */
export const KEY_HELP: KeyHelp[] = [
  { keys: '↑/↓ j/k', short: 'move', action: 'move the cursor', panes: ['services', 'tasks'] },
  { keys: 'PgUp/PgDn', short: 'page', action: 'move a page', panes: ['services', 'tasks'] },
  { keys: 'g / G', short: 'top/bottom', action: 'top / bottom', panes: ['services', 'tasks'] },
  {
    keys: 'Enter',
    short: 'open',
    action: "open the service's tasks / the task's health",
    panes: ['services', 'tasks'],
  },
  {
    keys: 'Esc',
    short: 'back',
    action: 'back (close help, leave a pane, clear the filter)',
    panes: ['all'],
  },
  { keys: 'Tab / S-Tab', short: 'pane', action: 'next / previous pane', panes: ['all'] },
  faultKey('x', 'kill', 'kill the selected task (signal, default SIGKILL)'),
  faultKey('s', 'stop', 'stop it (grace seconds, default 10)'),
  faultKey('p', 'pause', 'pause it (optional duration)'),
  faultKey('c', 'cpu', 'CPU limit (CPUs or % of current; container or service)'),
  faultKey('m', 'mem', 'memory limit (e.g. 50m; container or service)'),
  faultKey('d', 'delay', 'network window: delay, loss or rate (default 30s)'),
  faultKey('n', 'drain', "drain the task's node"),
  faultKey('u', 'undo', 'undo the faults on the selected task'),
  {
    keys: '!',
    short: 'halt',
    action: 'halt: undo every active fault now',
    panes: ['all'],
    fault: true,
  },
  {
    keys: 'space',
    short: 'lap',
    action: 'manual stopwatch: start / stop timing the action',
    panes: ['timers'],
  },
  { keys: 'l', short: 'name', action: 'name the timed action (e.g. "log in")', panes: ['timers'] },
  {
    keys: 'N',
    short: 'note',
    action: 'add a note to the game-day journal ("login spinner stuck")',
    panes: ['all'],
  },
  { keys: 'E', short: 'report', action: 'write the game-day report now', panes: ['all'] },
  {
    keys: '/',
    short: 'filter',
    action: 'filter services (substring; re: for a regex)',
    panes: ['services'],
  },
  { keys: '?', short: 'help', action: 'this help', panes: ['all'] },
  { keys: 'q / Ctrl-C', short: 'quit', action: 'quit', panes: ['all'] },
];

// Control characters never belong in a field.
const CONTROL = /\p{Cc}/gu;

const BURST_KEYS: Record<string, KeyFlags> = {
  '\r': { return: true },
  '\n': { return: true },
  '\u007F': { delete: true },
  '\b': { backspace: true },
  '\t': { tab: true },
};

/**
 * Splits a chunk of input into key presses. Fast typing or pasting over SSH delivers "0.2\r" or
 * three Backspaces as one chunk, which Ink hands over as a single text input.
 */
export function splitBurst(input: string, key: KeyFlags, textEntry = true): [string, KeyFlags][] {
  const hasControl = /[\r\n\u007F\b\t]/.test(input);
  if ([...input].length <= 1 || (textEntry && !hasControl) || key.ctrl || key.escape)
    return [[input, key]];
  const presses: [string, KeyFlags][] = [];
  for (const part of input.split(/([\r\n\u007F\b\t])/)) {
    if (part === '') continue;
    if (BURST_KEYS[part]) presses.push(['', BURST_KEYS[part]!]);
    // Outside text entry every character is a key of its own ("jj" is two moves).
    else if (!textEntry) for (const ch of part) presses.push([ch, {}]);
    else presses.push([part, {}]);
  }
  return presses;
}

/** One key in a one-line text box: the new text, or Enter / Esc; undefined for keys it ignores. */
function editText(
  input: string,
  key: KeyFlags,
  text: string,
): { done?: 'commit' | 'cancel'; text: string } | undefined {
  if (key.escape) return { done: 'cancel', text };
  if (key.return) return { done: 'commit', text };
  if (key.backspace || key.delete) return { text: [...text].slice(0, -1).join('') };
  if (key.upArrow || key.downArrow || key.tab || key.ctrl || key.pageUp || key.pageDown)
    return undefined;
  const typed = input.replace(CONTROL, '');
  return typed ? { text: text + typed } : undefined;
}

/** Maps a key press to a command in the given mode; undefined when the key does nothing. */
export function keyCommand(
  input: string,
  key: KeyFlags,
  mode: KeyMode,
  filterText = '',
): KeyCommand | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (mode === 'filter' || mode === 'name' || mode === 'note') {
    const edit = editText(input, key, filterText);
    if (!edit) return undefined;
    if (mode === 'note') {
      return edit.done === 'commit'
        ? { type: 'commitNote' }
        : edit.done === 'cancel'
          ? { type: 'cancelNote' }
          : { type: 'noteText', text: edit.text };
    }
    if (mode === 'filter') {
      return edit.done === 'commit'
        ? { type: 'commitFilter' }
        : edit.done === 'cancel'
          ? { type: 'cancelFilter' }
          : { type: 'filterText', text: edit.text };
    }
    return edit.done === 'commit'
      ? { type: 'commitName' }
      : edit.done === 'cancel'
        ? { type: 'cancelName' }
        : { type: 'nameText', text: edit.text };
  }
  if (mode === 'help') {
    if (key.escape || input === '?') return { type: 'help' };
    if (input === 'q') return { type: 'quit' };
    return undefined;
  }
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'page', direction: -1 };
  if (key.pageDown) return { type: 'page', direction: 1 };
  if (input === 'g') return { type: 'moveTo', where: 'top' };
  if (input === 'G') return { type: 'moveTo', where: 'bottom' };
  if (key.tab) return { type: 'cyclePane', step: key.shift ? -1 : 1 };
  if (key.return) return { type: 'enter' };
  if (key.escape) return { type: 'back' };
  if (input === '/') return { type: 'startFilter' };
  const faults = {
    x: 'kill',
    s: 'stop',
    p: 'pause',
    c: 'cpu',
    m: 'memory',
    n: 'drain',
    d: 'net',
  } as const;
  if (input in faults) return { type: 'fault', kind: faults[input as keyof typeof faults] };
  if (input === ' ') return { type: 'lap' };
  if (input === 'l') return { type: 'startNaming' };
  if (input === 'N') return { type: 'startNote' };
  if (input === 'E') return { type: 'report' };
  if (input === 'u') return { type: 'undo' };
  if (input === '!') return { type: 'halt' };
  if (input === '?') return { type: 'help' };
  if (input === 'q') return { type: 'quit' };
  return undefined;
}

/** What a key means while a dialog is open: the flow's commands, or quit. */
export type DialogKey = Exclude<DialogCommand, { type: 'yes' } | { type: 'no' }> | { type: 'quit' };

/** Maps a key press inside a dialog. */
export function dialogKey(input: string, key: KeyFlags): DialogKey | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.escape) return { type: 'cancel' };
  if (key.return) return { type: 'submit' };
  if (key.backspace || key.delete) return { type: 'backspace' };
  if (key.tab || key.downArrow) return { type: 'field', step: key.shift ? -1 : 1 };
  if (key.upArrow) return { type: 'field', step: -1 };
  if (key.ctrl || key.pageUp || key.pageDown) return undefined;
  const text = input.replace(CONTROL, '');
  return text ? { type: 'text', text } : undefined;
}
