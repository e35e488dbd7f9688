import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalBody } from '../record/journal-events.js';

/** The default journal of a run that starts now: journal/<start-time>.jsonl in the state dir. */
export function defaultJournalFile(stateDir: string, start = new Date()): string {
  // Colons are awkward in file names (scp, Windows shares): 2026-11-22T10-04-05.123Z.
  return join(stateDir, 'journal', `${start.toISOString().replaceAll(':', '-')}.jsonl`);
}

/**
 * Appends one JSON line per event, synced to disk before write() returns, so a crash or SIGKILL
 * loses nothing already written. Several runs may share one file (a scripted game day):
 * each line is one write on an O_APPEND descriptor and carries its run id.
 */
export class Journal {
  private fd: number | undefined;
  private failed?: string;

  constructor(
    readonly file: string,
    readonly session: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Appends an event stamped now (or at `t`); a failing disk is reported once, never thrown. */
  write(body: JournalBody, t = Date.now()): void {
    const line = `${JSON.stringify({ t, session: this.session, ...body })}\n`;
    try {
      this.fd ??= openSync(this.file, 'a', 0o600);
      writeSync(this.fd, line);
      fsyncSync(this.fd);
    } catch (error) {
      const message = `journal ${this.file}: ${(error as Error).message}`;
      if (this.failed !== message) this.onError(message);
      this.failed = message;
    }
  }

  /** Closes the file (later writes reopen it). */
  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already gone: nothing to flush, every line was synced when written.
    }
    this.fd = undefined;
  }
}
