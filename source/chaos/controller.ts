import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeFault, needsUndo, type FaultRecord } from '../domain/fault.js';
import { auditTarget, type AuditLog } from './audit.js';
import type { Ledger } from './ledger.js';
import {
  FaultError,
  prepareFault,
  type FaultPorts,
  type FaultRequest,
  type PreparedFault,
} from './prepare.js';
import { runUndo } from './undo.js';

/** What the controller needs. */
export interface ChaosOptions extends FaultPorts {
  ledger: Ledger;
  audit: AuditLog;
  /** Show and log everything, change nothing. */
  dryRun: boolean;
  /** Told whenever the list of active faults changes. */
  onChange?: (faults: FaultRecord[]) => void;
  /** Told when a fault's window opens (applied) and closes (undone), for latency tagging. */
  onWindow?: (window: { id: string; label: string; start: number; end?: number }) => void;
}

/** The result of undoing several faults. */
export interface UndoSummary {
  undone: FaultRecord[];
  gone: FaultRecord[];
  failed: FaultRecord[];
}

/** Start time of a process in clock ticks since boot (/proc/PID/stat field 22), with its state. */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: split after its closing ")".
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** The start time of this process, kept with each fault so a reused PID is not mistaken for it. */
const SELF_START = procStat(process.pid)?.start;

/** True while the chaosdeck that applied a fault still runs (not a zombie, not a reused PID). */
function applierAlive(record: FaultRecord): boolean {
  const stat = procStat(record.pid);
  if (stat) return stat.state !== 'Z' && (!record.pidStart || record.pidStart === stat.start);
  if (process.platform === 'linux') return false;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Applies faults and owns their undo. A fault is in the ledger (with its undo, captured before
 * the change) before it is reported applied; undo runs last-applied-first, on request, when a
 * window ends, and on every way out of the console.
 */
export class ChaosController {
  private faults: FaultRecord[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly busy = new Set<string>();

  constructor(private readonly options: ChaosOptions) {}

  /** Faults this console is responsible for, oldest first. */
  list(): FaultRecord[] {
    return this.faults;
  }

  /** Faults in the ledger left by a chaosdeck that is no longer running (SIGKILL, power cut). */
  leftovers(): FaultRecord[] {
    return this.options.ledger.list().filter((r) => r.pid !== process.pid && !applierAlive(r));
  }

  /** Takes leftovers over, so that undo, halt and quit cover them too. */
  adopt(records: FaultRecord[]): void {
    for (const r of records) if (!this.faults.some((f) => f.id === r.id)) this.faults.push(r);
    this.faults.sort((a, b) => a.appliedAt - b.appliedAt);
    for (const r of records) this.schedule(r);
    this.changed();
  }

  /** Checks a fault and describes it, changing nothing (for the confirmation). */
  check(request: FaultRequest): Promise<PreparedFault> {
    return prepareFault(request, this.options);
  }

  /** Checks again, records, applies; throws FaultError or the engine's error on failure. */
  async run(request: FaultRequest): Promise<FaultRecord | undefined> {
    const { audit, ledger } = this.options;
    let prepared: PreparedFault;
    try {
      prepared = await prepareFault(request, this.options);
    } catch (error) {
      audit.write({
        action: request.kind,
        target: auditTarget(request.target),
        params: request.params,
        result: 'failed',
        error: (error as Error).message,
      });
      throw error;
    }
    const now = Date.now();
    const record: FaultRecord = {
      id: randomUUID(),
      kind: prepared.kind,
      target: prepared.target,
      params: prepared.params,
      appliedAt: now,
      ...(prepared.durationMs ? { endsAt: now + prepared.durationMs } : {}),
      undo: prepared.undo,
      status: 'applying',
      pid: process.pid,
      ...(SELF_START ? { pidStart: SELF_START } : {}),
      ...(this.options.dryRun ? { dryRun: true } : {}),
    };
    const entry = {
      action: record.kind,
      target: auditTarget(record.target),
      params: record.params,
    };
    if (this.options.dryRun) {
      audit.write({ ...entry, result: 'dry-run' });
      if (!needsUndo(record.undo)) return record;
      record.status = 'active';
      this.track(record);
      return record;
    }
    const keep = needsUndo(record.undo);
    if (keep) ledger.add(record);
    try {
      await prepared.apply();
    } catch (error) {
      if (keep) ledger.remove(record.id);
      audit.write({ ...entry, result: 'failed', error: (error as Error).message });
      throw error;
    }
    audit.write({ ...entry, result: 'ok' });
    const label = `${describeFault(record.kind, record.params)} ${record.target.slotName}`;
    // A kill or stop is a moment; the others last until undone.
    this.options.onWindow?.({ id: record.id, label, start: now, ...(keep ? {} : { end: now }) });
    if (!keep) return record;
    record.status = 'active';
    ledger.update(record.id, { status: 'active' });
    this.track(record);
    return record;
  }

  /** Undoes one fault; a failure stays in the ledger marked undo-failed. Returns true when undone. */
  async undo(id: string): Promise<'done' | 'gone' | 'failed' | 'busy'> {
    const record = this.faults.find((f) => f.id === id);
    if (!record) return 'gone';
    if (this.busy.has(id)) return 'busy';
    this.busy.add(id);
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    const { audit, ledger } = this.options;
    const entry = {
      action: `undo ${record.kind}`,
      target: auditTarget(record.target),
      params: record.params,
    };
    try {
      if (record.dryRun) {
        audit.write({ ...entry, result: 'dry-run' });
        this.forget(id);
        return 'done';
      }
      const outcome = await runUndo(record.undo, this.options, record.target.nodeName);
      ledger.remove(id);
      this.options.onWindow?.({ id, label: record.kind, start: record.appliedAt, end: Date.now() });
      audit.write({
        ...entry,
        result: outcome === 'gone' ? 'dropped' : 'ok',
        ...(outcome === 'gone' ? { error: 'target is gone; nothing to undo' } : {}),
      });
      this.forget(id);
      return outcome;
    } catch (error) {
      const message = error instanceof FaultError ? error.message : (error as Error).message;
      record.status = 'undo-failed';
      record.error = message;
      ledger.update(id, { status: 'undo-failed', error: message });
      audit.write({ ...entry, result: 'failed', error: message });
      this.changed();
      return 'failed';
    } finally {
      this.busy.delete(id);
    }
  }

  /** Undoes the faults that match, last applied first. */
  async undoWhere(match: (record: FaultRecord) => boolean): Promise<UndoSummary> {
    const summary: UndoSummary = { undone: [], gone: [], failed: [] };
    for (const record of [...this.faults].reverse()) {
      if (!match(record)) continue;
      const outcome = await this.undo(record.id);
      if (outcome === 'done') summary.undone.push(record);
      else if (outcome === 'gone') summary.gone.push(record);
      else if (outcome === 'failed') summary.failed.push(record);
    }
    return summary;
  }

  /** Undoes everything this console holds, last applied first (halt, quit, signals, crash). */
  undoAll(): Promise<UndoSummary> {
    return this.undoWhere(() => true);
  }

  /** Stops the window timers without undoing (used only once everything was undone). */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private track(record: FaultRecord): void {
    this.faults.push(record);
    this.schedule(record);
    this.changed();
  }

  private schedule(record: FaultRecord): void {
    if (!record.endsAt || record.status === 'undo-failed') return;
    const delay = Math.max(0, record.endsAt - Date.now());
    // The window ends: undo by itself (a failure shows up like any failed undo).
    this.timers.set(
      record.id,
      setTimeout(() => void this.undo(record.id), delay),
    );
  }

  private forget(id: string): void {
    this.faults = this.faults.filter((f) => f.id !== id);
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.([...this.faults]);
  }
}
