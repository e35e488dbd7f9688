import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  fstatSync,
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

/** The state disk has no room for a new entry and the undo's writes after it: nothing was applied. */
export class LedgerSpaceError extends LedgerError {}

/** True for an error that says the disk (or the user's quota) is full. */
export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

const BLOCK = 4096;
/**
 * Room kept beside the ledger for the writes a fault's undo needs (its status, its removal): each
 * rewrites the whole file into a temp file next to it, so twice the file, in whole blocks, and
 * never less than 8 KiB.
 */
export function reserveBytes(ledgerBytes: number): number {
  return Math.max(2 * BLOCK, Math.ceil((2 * ledgerBytes) / BLOCK) * BLOCK);
}

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

function serialize(entries: RawEntry[]): string {
  return `${JSON.stringify({ version: 1, faults: entries }, null, 2)}\n`;
}

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
  /** Called when a write found the disk full and used the kept room (say so: free some space). */
  onReserveUsed?: (message: string) => void;

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

  /**
   * Adds (or replaces) an entry, having first kept room on the disk for the writes its undo needs;
   * with no room, throws LedgerSpaceError and writes nothing (the fault must not be applied).
   */
  add(record: FaultRecord): Promise<void> {
    return this.mutate(
      (entries) => [...entries.filter((e) => entryId(e) !== record.id), record],
      true,
    );
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
        return {
          ...current,
          appliedBy: current.appliedBy ?? current.pid,
          pid: owner.pid,
          pidStart: owner.pidStart,
        };
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

  private get reserveFile(): string {
    return `${this.file}.reserve`;
  }

  private mutate(change: (entries: RawEntry[]) => RawEntry[], reserve = false): Promise<void> {
    // One change at a time inside this process; the file lock orders processes.
    const run = this.queue.then(() => this.locked(change, reserve));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked(
    change: (entries: RawEntry[]) => RawEntry[],
    reserve: boolean,
  ): Promise<void> {
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
      const entries = change(this.readRaw());
      const text = serialize(entries);
      if (reserve) this.keepRoom(reserveBytes(Buffer.byteLength(text)));
      this.writeOrUseReserve(text);
      // Nothing left to undo: the kept room goes back to the disk.
      if (entries.length === 0) this.dropReserve();
    } finally {
      await release().catch(() => undefined);
    }
    if (compromised) throw compromised;
  }

  /**
   * Makes the reserve file at least `bytes` long (real blocks: zeros written, not a sparse hole).
   * A disk without that room is put back as it was and refused.
   */
  private keepRoom(bytes: number): void {
    const fd = openSync(this.reserveFile, 'a', 0o600);
    const had = fstatSync(fd).size;
    try {
      const zeros = Buffer.alloc(BLOCK);
      for (let size = had; size < bytes; size += BLOCK) writeSync(fd, zeros);
      fsyncSync(fd);
    } catch (error) {
      ftruncateSync(fd, had);
      if (!isNoSpace(error)) throw error;
      throw new LedgerSpaceError(
        `no room on the state disk for the fault's undo record: ${Math.ceil(bytes / 1024)} KiB must stay free beside ${this.file} (${(error as Error).message}); free some space there or set XDG_STATE_HOME`,
      );
    } finally {
      closeSync(fd);
    }
  }

  /** Writes; on a full disk, gives up the reserve and writes again (the undo must be recorded). */
  private writeOrUseReserve(text: string): void {
    try {
      this.write(text);
    } catch (error) {
      if (!isNoSpace(error)) throw error;
      if (!this.dropReserve()) throw error;
      this.write(text);
      this.onReserveUsed?.(
        `the state disk of ${this.file} is full: the ledger used the room it keeps for undo; free some space there before the next fault`,
      );
    }
  }

  /** Removes the reserve file; false when there was none. */
  private dropReserve(): boolean {
    try {
      unlinkSync(this.reserveFile);
      return true;
    } catch {
      return false;
    }
  }

  private write(text: string): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
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
