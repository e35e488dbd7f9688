import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import type { FaultRecord } from '../domain/fault.js';
import { faultRecordSchema, firstIssue, ledgerFileSchema } from './ledger-schema.js';

/** The ledger file cannot be read as a whole; the message names the file and what to do. */
export class LedgerError extends Error {}

/** An entry that does not match the schema: kept on disk untouched, reported, never acted on. */
export interface InvalidEntry {
  /** 1-based position in the file's list. */
  index: number;
  problem: string;
}

/** What the file holds: the entries chaosdeck can act on and those it cannot. */
export interface LedgerContents {
  records: FaultRecord[];
  invalid: InvalidEntry[];
}

type RawEntry = unknown;

function entryId(entry: RawEntry): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
}

/**
 * The persistent list of faults that still need undoing, shared by every chaosdeck of one user.
 * A change takes a lock (proper-lockfile, so a second console waits its turn), re-reads the file,
 * touches only the entries it names by id and writes a temp file that is fsynced, renamed into
 * place and made durable with an fsync of the directory. A file that does not match the schema
 * is never taken for an empty ledger: reading and writing refuse with a LedgerError.
 */
export class Ledger {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Entries on disk, checked one by one; a missing file is an empty ledger. */
  read(): LedgerContents {
    const records: FaultRecord[] = [];
    const invalid: InvalidEntry[] = [];
    this.readRaw().forEach((entry, i) => {
      const parsed = faultRecordSchema.safeParse(entry);
      if (parsed.success) records.push(parsed.data);
      else invalid.push({ index: i + 1, problem: firstIssue(parsed.error) });
    });
    return { records, invalid };
  }

  /** The entries chaosdeck can act on. */
  list(): FaultRecord[] {
    return this.read().records;
  }

  /** Adds (or replaces) an entry. */
  add(record: FaultRecord): Promise<void> {
    return this.mutate((entries) => [...entries.filter((e) => entryId(e) !== record.id), record]);
  }

  /** Changes fields of one entry; nothing when it is not there any more. */
  update(id: string, patch: Partial<FaultRecord>): Promise<void> {
    return this.mutate((entries) =>
      entries.map((e) => (entryId(e) === id ? { ...(e as object), ...patch } : e)),
    );
  }

  /** Removes one entry. */
  remove(id: string): Promise<void> {
    return this.mutate((entries) => entries.filter((e) => entryId(e) !== id));
  }

  /**
   * Takes entries over from a chaosdeck that died: under the lock, each entry that still names
   * the dead process is given to `owner`. Returns the ids taken, so two restores never both undo.
   */
  async claim(
    records: FaultRecord[],
    owner: { pid: number; pidStart?: string },
  ): Promise<string[]> {
    const taken: string[] = [];
    await this.mutate((entries) =>
      entries.map((e) => {
        const was = records.find((r) => r.id === entryId(e));
        const current = e as Partial<FaultRecord>;
        if (!was || current.pid !== was.pid || current.pidStart !== was.pidStart) return e;
        taken.push(was.id);
        return { ...current, pid: owner.pid, pidStart: owner.pidStart };
      }),
    );
    return taken;
  }

  private readRaw(): RawEntry[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      throw new LedgerError(
        `cannot read the fault ledger ${this.file} (${code ?? (error as Error).message}); ${this.advice()}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new LedgerError(`the fault ledger ${this.file} is not valid JSON; ${this.advice()}`);
    }
    const file = ledgerFileSchema.safeParse(parsed);
    if (!file.success)
      throw new LedgerError(
        `the fault ledger ${this.file} is not a chaosdeck ledger (${firstIssue(file.error)}; expected {"version":1,"faults":[…]}); ${this.advice()}`,
      );
    return file.data.faults;
  }

  private advice(): string {
    return 'it lists faults that may still be active on the cluster: fix it, or move it aside (chaosdeck restore --from FILE undoes what a repaired copy lists) and check the cluster by hand';
  }

  private mutate(change: (entries: RawEntry[]) => RawEntry[]): Promise<void> {
    // One change at a time inside this process; the file lock orders processes.
    const run = this.queue.then(() => this.locked(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked(change: (entries: RawEntry[]) => RawEntry[]): Promise<void> {
    let compromised: Error | undefined;
    const release = await lockfile.lock(this.file, {
      realpath: false,
      lockfilePath: `${this.file}.lock`,
      // A chaosdeck killed while holding the lock leaves it; it is stale after 10 s.
      stale: 10_000,
      retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 100 },
      onCompromised: (error) => (compromised = error),
    });
    try {
      this.write(change(this.readRaw()));
    } finally {
      await release().catch(() => undefined);
    }
    if (compromised) throw compromised;
  }

  private write(entries: RawEntry[]): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ version: 1, faults: entries }, null, 2)}\n`);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      unlinkSync(tmp);
      throw error;
    }
    closeSync(fd);
    renameSync(tmp, this.file);
    // The rename is durable only once the directory is.
    const dir = openSync(dirname(this.file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
