// Ink's parse-keypress (ink/build/parse-keypress.js of ink 6.8), with a sequence it cannot name
// made harmless (key-guard.ts): Ink's useInput threw on it and the console crashed. The bundle
// gives Ink's use-input this version (scripts/bundle.mjs) and resolves the import below to Ink's
// own file.
import parseKeypress, { nonAlphanumericKeys } from 'ink-original-parse-keypress';
import { harmlessKeypress } from './key-guard.js';

export { nonAlphanumericKeys };

/** Ink's keypress, or nothing for a sequence it cannot name. */
export default function parseKnownKeypress(s?: Buffer | string): ReturnType<typeof parseKeypress> {
  return harmlessKeypress(parseKeypress(s));
}
