import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { harmlessKeypress, type ParsedKeypress } from '../../source/ui/key-guard.js';

// Ink's own parser (not exported by the package: loaded by its file, as the bundle does).
const { default: parseKeypress } = (await import(
  pathToFileURL(resolve('node_modules/ink/build/parse-keypress.js')).href
)) as { default: (s: string) => ParsedKeypress };

describe('a keypress Ink cannot name is made harmless', () => {
  it.each([
    ['\u001B[31m', 'a pasted colour code'],
    ['\u001B[0m', 'a pasted reset'],
    ['\u001B[1;5P', 'Ctrl+F1 of a terminal Ink does not know'],
    ['\u001B[200~', 'a bracketed-paste start'],
    ['\u001B[201~', 'a bracketed-paste end'],
    ['\u001B[', 'a torn CSI'],
    ['\u001B[38;2;255;0;0m', 'a 24-bit colour'],
  ])('%j (%s): no name, no text, no modifiers', (sequence) => {
    const key = harmlessKeypress(parseKeypress(sequence));
    expect(key).toMatchObject({
      name: '',
      sequence: '',
      ctrl: false,
      meta: false,
      shift: false,
      option: false,
    });
  });

  it.each([
    ['q', 'q'],
    ['.', ''],
    ['ä', ''],
    ['hello', ''],
    ['\u001B', 'escape'],
    ['\u001B[A', 'up'],
    ['\u001BOP', 'f1'],
    ['\r', 'return'],
    ['\u0003', 'c'],
    ['\u001Ba', ''],
  ])('%j passes as Ink parsed it (name %j)', (sequence, name) => {
    const parsed = parseKeypress(sequence);
    const key = harmlessKeypress(parsed);
    expect(key).toBe(parsed);
    expect(key.name).toBe(name);
    expect(key.sequence).toBe(sequence);
  });
});
