import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { FaultRecord } from '../domain/fault.js';

/**
 * The persistent list of faults that still need undoing. Every change is read-modify-write of a
 * small JSON file, fsynced and renamed into place, so a fault is on disk before it is reported
 * as applied and a SIGKILL or power cut leaves a ledger the next start can act on.
 */
export class Ledger {
  constructor(readonly file: string) {}

  /** Every record on disk; a missing file is an empty ledger. */
  list(): FaultRecord[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { faults?: FaultRecord[] };
      return Array.isArray(parsed.faults) ? parsed.faults : [];
    } catch {
      throw new Error(
        `the fault ledger ${this.file} is not valid JSON; fix or move it (it lists faults that may still be active)`,
      );
    }
  }

  add(record: FaultRecord): void {
    this.mutate((records) => [...records.filter((r) => r.id !== record.id), record]);
  }

  update(id: string, patch: Partial<FaultRecord>): void {
    this.mutate((records) => records.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  }

  remove(id: string): void {
    this.mutate((records) => records.filter((r) => r.id !== id));
  }

  private mutate(change: (records: FaultRecord[]) => FaultRecord[]): void {
    const next = change(this.list());
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ version: 1, faults: next }, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
