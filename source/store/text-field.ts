import { createInterface, type Interface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';

/** A one-line text box: its text, the cursor (in UTF-16 units, as readline counts) and whether
 * the whole text is selected (a default: typing replaces it, Enter keeps it). */
export interface TextField {
  text: string;
  cursor: number;
  selected: boolean;
}

/** The key flags a field reads (Ink's `Key` fits). */
export interface EditKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  home?: boolean;
  end?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** A field holding `text`, cursor at its end; `selected` for a default that typing replaces. */
export function textField(text = '', selected = false): TextField {
  return { text, cursor: text.length, selected: selected && text.length > 0 };
}

// The editing itself is Node's readline: the line editor every Node REPL and prompt uses, with
// the emacs keys a shell teaches (Ctrl-A/E/U/K/W, Alt-B/F/D, Home/End). One interface serves
// every field: it is given the field's text and cursor, one key, and read back.
let editor: Interface | undefined;
function lineEditor(): Interface {
  if (!editor) {
    const output = new Writable({ write: (_chunk, _encoding, done) => done() });
    editor = createInterface({
      input: new PassThrough(),
      output,
      terminal: true,
      historySize: 0,
      prompt: '',
    });
  }
  return editor;
}

type ReadlineKey = { name: string; ctrl?: boolean; meta?: boolean };

// Ctrl and Alt letters readline edits with; the rest (Ctrl-C, Ctrl-D on an empty line, Ctrl-L,
// Ctrl-Z…) would close the interface, clear a screen or suspend, and are left alone.
const CTRL_KEYS = new Set(['a', 'e', 'b', 'f', 'h', 'k', 'u', 'w', 'd', 't']);
const META_KEYS = new Set(['b', 'f', 'd']);

function readlineKey(input: string, key: EditKey): ReadlineKey | undefined {
  if (key.leftArrow) return { name: 'left', ctrl: key.ctrl, meta: key.meta };
  if (key.rightArrow) return { name: 'right', ctrl: key.ctrl, meta: key.meta };
  if (key.home) return { name: 'home' };
  if (key.end) return { name: 'end' };
  // Terminals send DEL (0x7f) for Backspace; Ink calls it `delete`. Forward delete is Ctrl-D.
  if (key.backspace || key.delete)
    return key.meta ? { name: 'backspace', meta: true } : { name: 'backspace' };
  if (key.ctrl && CTRL_KEYS.has(input)) return { name: input, ctrl: true };
  if (key.meta && META_KEYS.has(input)) return { name: input, meta: true };
  return undefined;
}

// Control characters never belong in a field (a paste's newline ends nothing here).
const CONTROL = /\p{Cc}/gu;

/** What a key does to a field: the field after it, or undefined for a key that does not edit
 * (Enter, Esc, Tab, ↑/↓ and unknown control keys are the caller's). */
export function editField(field: TextField, input: string, key: EditKey): TextField | undefined {
  if (key.return || key.escape || key.tab || key.upArrow || key.downArrow) return undefined;
  if (key.pageUp || key.pageDown) return undefined;
  const special = readlineKey(input, key);
  if (special) {
    if (field.selected) {
      // A selection goes with any deletion; a move drops the selection and then moves.
      const deletes =
        special.name === 'backspace' ||
        (special.ctrl && ['u', 'w', 'k', 'd', 'h'].includes(special.name)) ||
        (special.meta && special.name === 'd');
      if (deletes) return textField('');
    }
    // Ctrl-D on an empty line would close readline's interface (EOF).
    if (special.ctrl && special.name === 'd' && field.text.length === 0) return field;
    return run({ ...field, selected: false }, null, special);
  }
  if (key.ctrl || key.meta) return undefined;
  const typed = input.replace(CONTROL, '');
  if (!typed) return undefined;
  if (field.selected) return textField(typed);
  return run(field, typed, undefined);
}

function run(field: TextField, data: string | null, key: ReadlineKey | undefined): TextField {
  const rl = lineEditor() as Interface & { line: string; cursor: number };
  rl.line = field.text;
  rl.cursor = Math.max(0, Math.min(field.cursor, field.text.length));
  rl.write(data, key as Parameters<Interface['write']>[1]);
  return { text: rl.line, cursor: rl.cursor, selected: false };
}

/** The field's text split at the cursor, for drawing it. */
export function fieldParts(field: TextField): { before: string; at: string; after: string } {
  const cursor = Math.max(0, Math.min(field.cursor, field.text.length));
  const rest = field.text.slice(cursor);
  const at = [...rest][0] ?? '';
  return { before: field.text.slice(0, cursor), at, after: rest.slice(at.length) };
}
