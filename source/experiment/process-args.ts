import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A process provider's arguments as the file may give them. */
export type ProcessArguments =
  string | (string | number | boolean)[] | Record<string, string | number | boolean | null>;

/**
 * The argv Chaos Toolkit builds: a string goes to the shell whole; a list's items become strings;
 * its older mapping form becomes key, value, key, value …; empty and null items are left out.
 */
export function processArgv(args: ProcessArguments | undefined): string | string[] {
  if (typeof args === 'string') return args;
  const items = Array.isArray(args) ? args : Object.entries(args ?? {}).flat();
  return items.filter((a) => a !== '' && a !== null).map(String);
}

/** Where a program is, as `shutil.which` finds it (~ expanded; a name searched on PATH). */
export function whichProgram(
  path: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const expanded = path.startsWith('~/') ? join(env.HOME || homedir(), path.slice(2)) : path;
  const candidates = expanded.includes('/')
    ? [expanded]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, expanded));
  return candidates.find((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
