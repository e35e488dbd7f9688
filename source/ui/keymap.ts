import type { FaultKind } from '../domain/fault.js';
import { faultByKey } from '../faults/registry.js';
import type { DialogCommand } from '../console/fault-flow.js';
import { TASK_PANES, type FieldPurpose, type Pane } from '../store/state.js';
import { editField, type EditKey, type TextField } from '../store/text-field.js';
/** The subset of Ink's key flags chaosdeck reads. */
export interface KeyFlags extends EditKey {
  shift?: boolean;
}

/** What a key press means in the normal mode. */
export type KeyCommand =
  | { type: 'move'; delta: number }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'moveTo'; where: 'top' | 'bottom' }
  | { type: 'cyclePane'; step: 1 | -1 }
  | { type: 'enter' }
  | { type: 'back' }
  | { type: 'open'; field: FieldPurpose }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'fault'; kind: FaultKind }
  | { type: 'undo' }
  | { type: 'halt' }
  | { type: 'lap' }
  | { type: 'report' }
  | { type: 'logs' }
  | { type: 'experiments' }
  /** A key that acts on a task, pressed where no task is selected. */
  | { type: 'needsTask'; key: string };

/** What a key means while a text field is open. */
export type FieldCommand =
  | { type: 'edit'; field: TextField }
  | { type: 'commit' }
  | { type: 'cancel' }
  | { type: 'complete' }
  | { type: 'recall'; step: -1 | 1 }
  | { type: 'quit' };

/** What a key means in the logs view. */
export type LogsCommand =
  | { type: 'close' }
  | { type: 'scroll'; to: number | 'top' | 'end' }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'search' }
  | { type: 'quit' };

/** What a key means while the help shows. */
export type HelpCommand = { type: 'close' } | { type: 'scroll'; delta: number } | { type: 'quit' };

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

/** Maps a key press in the normal mode, in the focused pane; undefined when it does nothing. */
export function keyCommand(input: string, key: KeyFlags, pane: Pane): KeyCommand | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  // Ink marks Esc as meta too: Esc is read before Alt-combinations are turned away.
  if (key.escape) return { type: 'back' };
  if (key.ctrl || key.meta) return undefined;
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'page', direction: -1 };
  if (key.pageDown) return { type: 'page', direction: 1 };
  if (input === 'g' || key.home) return { type: 'moveTo', where: 'top' };
  if (input === 'G' || key.end) return { type: 'moveTo', where: 'bottom' };
  if (key.tab) return { type: 'cyclePane', step: key.shift ? -1 : 1 };
  if (key.return) return { type: 'enter' };
  if (input === '/') return { type: 'open', field: 'filter' };
  if (input === ':') return { type: 'open', field: 'command' };
  if (input === 'l') return { type: 'open', field: 'name' };
  if (input === 'N') return { type: 'open', field: 'note' };
  if (input === 'L') return { type: 'logs' };
  const fault = faultByKey(input);
  if (fault || input === 'u') {
    // A fault key acts on the selected task: where none is selected it does nothing but say so.
    if (!TASK_PANES.includes(pane)) return { type: 'needsTask', key: input };
    return fault ? { type: 'fault', kind: fault.kind } : { type: 'undo' };
  }
  if (input === ' ') return { type: 'lap' };
  if (input === 'E') return { type: 'report' };
  if (input === 'R') return { type: 'experiments' };
  if (input === '!') return { type: 'halt' };
  if (input === '?') return { type: 'help' };
  if (input === 'q') return { type: 'quit' };
  return undefined;
}

/** Maps a key press while a text field is open: it edits, commits or cancels, nothing else. */
export function fieldKey(
  input: string,
  key: KeyFlags,
  field: TextField,
  purpose: FieldPurpose,
): FieldCommand | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.escape) return { type: 'cancel' };
  if (key.return) return { type: 'commit' };
  if (key.tab && purpose === 'command') return { type: 'complete' };
  if (purpose === 'command' && (key.upArrow || key.downArrow))
    return { type: 'recall', step: key.upArrow ? -1 : 1 };
  const next = editField(field, input, key);
  return next ? { type: 'edit', field: next } : undefined;
}

/** Maps a key press while the help shows: Esc, ? or q close it; moves scroll it. */
export function helpKey(input: string, key: KeyFlags): HelpCommand | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.escape || input === '?' || input === 'q') return { type: 'close' };
  if (key.upArrow || input === 'k') return { type: 'scroll', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'scroll', delta: 1 };
  if (key.pageUp) return { type: 'scroll', delta: -10 };
  if (key.pageDown || input === ' ') return { type: 'scroll', delta: 10 };
  return undefined;
}

/** Maps a key press in the logs view: scroll, follow, search, or back. */
export function logsKey(input: string, key: KeyFlags): LogsCommand | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.escape || input === 'q' || input === 'L') return { type: 'close' };
  if (key.upArrow || input === 'k') return { type: 'scroll', to: -1 };
  if (key.downArrow || input === 'j') return { type: 'scroll', to: 1 };
  if (key.pageUp) return { type: 'page', direction: -1 };
  if (key.pageDown || input === ' ') return { type: 'page', direction: 1 };
  if (key.home || input === 'g') return { type: 'scroll', to: 'top' };
  if (key.end || input === 'G') return { type: 'scroll', to: 'end' };
  if (input === '/') return { type: 'search' };
  return undefined;
}

/** What a key means while a dialog is open: the flow's commands, or quit. */
export type DialogKey = Exclude<DialogCommand, { type: 'yes' } | { type: 'no' }> | { type: 'quit' };

/** Maps a key press inside a dialog: Enter, Esc, Tab/↑/↓ between fields; the rest edit. */
export function dialogKey(input: string, key: KeyFlags): DialogKey | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.escape) return { type: 'cancel' };
  if (key.return) return { type: 'submit' };
  if (key.tab || key.downArrow) return { type: 'field', step: key.shift ? -1 : 1 };
  if (key.upArrow) return { type: 'field', step: -1 };
  return { type: 'edit', input, key };
}
