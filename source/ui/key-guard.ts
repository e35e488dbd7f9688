/** What Ink's parse-keypress returns, as far as the guard reads it. */
export interface ParsedKeypress {
  name: string | undefined;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  option: boolean;
  sequence: string;
}

// A control sequence (CSI `ESC [`, SS3 `ESC O`) whose final byte Ink does not know as a key.
// eslint-disable-next-line no-control-regex -- the escape byte is what it looks for
const CONTROL_SEQUENCE = /^\u001B[[O]/;

/**
 * A keypress Ink could not name, made harmless: no name, no text, no modifiers, so every input
 * mode ignores it. Input from a terminal is untrusted: a pasted colour code (`ESC [31m`), a
 * bracketed-paste mark (`ESC [200~`) or a function key of a terminal Ink does not know (`ESC
 * [1;5P`) left Ink 6's useInput with no name and, with ctrl set, an undefined input that it
 * called `startsWith` on (ink#901, fixed in Ink 7, which needs Node 22). Named keys, plain text
 * and Alt+letter (`ESC a`) pass as they are.
 */
export function harmlessKeypress<K extends ParsedKeypress>(key: K): K {
  const unknown =
    typeof key.name !== 'string' || (key.name === '' && CONTROL_SEQUENCE.test(key.sequence));
  if (!unknown) return key;
  return { ...key, name: '', sequence: '', ctrl: false, meta: false, shift: false, option: false };
}
