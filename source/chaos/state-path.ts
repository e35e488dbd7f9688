import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/** A state, ledger or audit path chaosdeck cannot use; the message is for the user. */
export class StatePathError extends Error {}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/**
 * Makes sure `dir` exists, creating it one level at a time. Node 20's recursive mkdir never
 * returns for some paths on pseudo-filesystems (/proc/forbidden/x loops at 100 % CPU), so each
 * level is created without `recursive` and any failure is an answer, not a retry.
 */
export function ensureDir(dir: string, what: string): void {
  const parts = resolve(dir).split(sep).filter(Boolean);
  let path = '';
  for (const part of parts) {
    path += `${sep}${part}`;
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new StatePathError(`${what}: cannot use ${path} (${reason(error)})`);
      try {
        mkdirSync(path, { mode: 0o700 });
        continue;
      } catch (mkError) {
        throw new StatePathError(`${what}: cannot create ${path} (${reason(mkError)})`);
      }
    }
    if (!isDir) throw new StatePathError(`${what}: ${path} is not a directory`);
  }
}

/**
 * Checks at start-up that chaosdeck can keep a file in `file`'s directory: the directory is
 * created when missing, then a probe file is written, fsynced and removed. A path that fails here
 * would fail while a fault is in flight, so the caller refuses to start instead.
 */
export function checkWritable(file: string, what: string): void {
  const dir = dirname(resolve(file));
  ensureDir(dir, what);
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st && !st.isFile()) throw new StatePathError(`${what}: ${file} is not a regular file`);
  } catch (error) {
    if (error instanceof StatePathError) throw error;
    throw new StatePathError(`${what}: cannot use ${file} (${reason(error)})`);
  }
  const probe = `${dir}${sep}.chaosdeck-probe-${process.pid}`;
  try {
    const fd = openSync(probe, 'w', 0o600);
    try {
      writeSync(fd, 'probe\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    unlinkSync(probe);
  } catch (error) {
    throw new StatePathError(`${what}: cannot write in ${dir} (${reason(error)})`);
  }
  if (statSync(file, { throwIfNoEntry: false })) {
    try {
      closeSync(openSync(file, 'a'));
    } catch (error) {
      throw new StatePathError(`${what}: cannot write ${file} (${reason(error)})`);
    }
  }
}
