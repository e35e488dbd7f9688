import { randomUUID } from 'node:crypto';
import { EngineError } from '../docker/errors.js';
import { needsUndo, type FaultRecord } from '../domain/fault.js';
import { describeFault } from '../faults/lines.js';
import { ownerAlive, SELF } from './applier.js';
import { auditTarget, type AuditEntry, type AuditLog } from './audit.js';
import type { Ledger } from './ledger.js';
import { FaultError, isRefusal } from '../faults/fault-error.js';
import type { FaultPorts } from '../faults/fault-ports.js';
import { prepareFault, type FaultRequest, type PreparedFault } from '../faults/prepare.js';
import { runUndo, type UndoOutcome } from '../faults/undo.js';
import { HEARTBEAT_MS, type ClusterLedger } from './cluster-ledger.js';
import { WindowTimers } from './window-timers.js';
import type { WatchdogArming } from './watchdogs.js';

/** What the controller needs. */
export interface ChaosOptions extends FaultPorts {
  ledger: Ledger;
  /**
   * The ledger the swarm keeps (Swarm configs): every fault is recorded there too before it is
   * applied, so every operator of the swarm sees it; a swarm that does not take it refuses it.
   */
  cluster?: Pick<
    ClusterLedger,
    'add' | 'remove' | 'touch' | 'claim' | 'release' | 'owner' | 'claimer'
  >;
  /**
   * The cluster's clock for faults this run may not be there to end: a watchdog armed before the
   * change, disarmed after the undo (see source/chaos/watchdogs.ts).
   */
  watchdogs?: WatchdogArming;
  /** How often the held faults' records in the swarm are said to be alive (ms). */
  heartbeatMs?: number;
  audit: AuditLog;
  /** Show and log everything, change nothing. */
  dryRun: boolean;
  /** Told whenever the list of active faults changes. */
  onChange?: (faults: FaultRecord[]) => void;
  /** Told when a fault's window opens (applied) and closes (undone), for latency tagging. */
  onWindow?: (window: { id: string; label: string; start: number; end?: number }) => void;
  /** How long undo waits for an apply still in flight before it undoes what is there (ms). */
  inflightWaitMs?: number;
  /** Told of every apply and undo as it ends (the game-day journal). */
  onFault?: (event: FaultEvent) => void;
  /**
   * Told when a record could not be written after the change was made (a full state disk): the
   * fault and its undo stand, the ledger is behind; a front end says so.
   */
  onWarning?: (message: string) => void;
}

/** An apply or undo that ended, for the journal. */
export type FaultEvent =
  | { type: 'applied'; record: FaultRecord }
  | {
      type: 'undone';
      record: FaultRecord;
      outcome: 'undone' | 'gone' | 'died' | 'failed';
      error?: string;
      /** Why it ended without a request (its task died or Swarm removed it). */
      why?: string;
    }
  | { type: 'failed'; request: FaultRequest; error: string }
  /** Refused by a safety check of the fault's own, before anything changed. */
  | { type: 'refused'; request: FaultRequest; reason: string };

/** The result of undoing several faults. */
export interface UndoSummary {
  undone: FaultRecord[];
  gone: FaultRecord[];
  /** The target container died (killed, OOM): nothing to put back on it. */
  died: FaultRecord[];
  failed: FaultRecord[];
}

/** How one undo ended. */
export type UndoResult = UndoOutcome | 'failed';

const noop = () => undefined;

/** How long the undo waits for its claim in the swarm before it goes ahead without one. */
const CLAIM_DEADLINE_MS = 2000;

/** True when a claim was made by a process of this machine and user that is no longer running. */
function claimerGone(claimedBy: string, owner: string): boolean {
  const m = / pid (\d+)$/.exec(claimedBy);
  if (!m || claimedBy.slice(0, m.index) !== owner) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The wait before retry `attempt` of a failed undo: 2 s, doubling, at most 30 s. */
export function undoRetryMs(attempt: number): number {
  return Math.min(30_000, 2000 * 2 ** Math.max(0, attempt - 1));
}

/** True when the engine answered, so a failed apply certainly changed nothing. */
function definitelyNotApplied(error: unknown): boolean {
  return (
    error instanceof FaultError || (error instanceof EngineError && error.kind !== 'unreachable')
  );
}

function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Applies faults and owns their undo; the one source of truth for the faults this chaosdeck holds.
 * A fault is listed and in the ledger (with its undo, captured before the change) before the
 * change is made; undo runs last-applied-first, on request, when a window ends, and on every way
 * out. An undo that arrives while the apply is still in flight waits for it, then undoes.
 */
export class ChaosController {
  private faults: FaultRecord[] = [];
  private readonly timers = new WindowTimers();
  private readonly undoing = new Map<string, Promise<UndoResult>>();
  private readonly inflight = new Map<string, Promise<void>>();
  /** Failed undos so far, per fault, while they are retried. */
  private readonly retries = new Map<string, number>();
  private closing = false;

  constructor(private readonly options: ChaosOptions) {}

  /** Faults this chaosdeck is responsible for, oldest first (applying ones included). */
  list(): FaultRecord[] {
    return this.faults;
  }

  /** Faults in the ledger left by a chaosdeck that is no longer running (SIGKILL, power cut). */
  leftovers(): FaultRecord[] {
    return this.options.ledger
      .list()
      .filter((r) => !this.faults.some((f) => f.id === r.id) && !ownerAlive(r));
  }

  /** Takes leftovers over (claimed in the ledger), so undo, halt and quit cover them too. */
  async adopt(records: FaultRecord[]): Promise<FaultRecord[]> {
    const taken = await this.options.ledger.claim(records, SELF);
    const adopted = records
      .filter((r) => taken.includes(r.id) && !this.faults.some((f) => f.id === r.id))
      .map((r) => ({ ...r, appliedBy: r.appliedBy ?? r.pid, ...SELF }));
    this.faults.push(...adopted);
    this.faults.sort((a, b) => a.appliedAt - b.appliedAt);
    for (const r of adopted) this.schedule(r);
    if (adopted.length > 0) this.beat();
    this.changed();
    return adopted;
  }

  /** Checks a fault and describes it, changing nothing (for the confirmation). */
  check(request: FaultRequest): Promise<PreparedFault> {
    return prepareFault(request, this.options);
  }

  /** Checks again, records, applies; throws FaultError or the engine's error on failure. */
  async run(request: FaultRequest): Promise<FaultRecord | undefined> {
    const { audit } = this.options;
    const refuse = () => new FaultError('chaosdeck is quitting: no new faults');
    if (this.closing) throw refuse();
    let prepared: PreparedFault;
    try {
      prepared = await prepareFault(request, this.options);
      if (this.closing) throw refuse();
    } catch (error) {
      const message = (error as Error).message;
      const refused = isRefusal(error);
      audit.write({
        action: request.kind,
        target: auditTarget(request.target),
        params: request.params,
        result: refused ? 'refused' : 'failed',
        error: message,
      });
      this.options.onFault?.(
        refused
          ? { type: 'refused', request, reason: message }
          : { type: 'failed', request, error: message },
      );
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
      ...SELF,
      ...(this.options.dryRun ? { dryRun: true } : {}),
    };
    const entry = {
      action: record.kind,
      target: auditTarget(record.target),
      params: record.params,
    };
    const keep = needsUndo(record.undo);
    if (this.options.dryRun) {
      audit.write({ ...entry, result: 'dry-run' });
      this.options.onFault?.({ type: 'applied', record });
      if (!keep) return record;
      record.status = 'active';
      this.faults.push(record);
      this.schedule(record);
      this.changed();
      return record;
    }
    // Listed before the change, so a quit that comes now waits for it and undoes it.
    if (keep) {
      this.faults.push(record);
      this.changed();
    }
    // Nothing is applied until its undo is on disk: a ledger that cannot take it refuses the fault.
    let recorded = !keep;
    const applying = (async () => {
      // Marked before the file has it: an entry of a fault the swarm refused is removed again.
      if (keep && this.options.cluster) record.inSwarm = true;
      if (keep) await this.options.ledger.add(record);
      if (keep) await this.recordInSwarm(record);
      // The cluster's clock, before the change too: the fault ends even if this run does not.
      if (keep && record.inSwarm) await this.options.watchdogs?.arm(record);
      recorded = true;
      await prepared.apply();
    })();
    // Settled means applied, or failed and cleaned up: what an undo in the meantime waits for.
    const settled = applying.then(
      () => undefined,
      async (error: unknown) => {
        audit.write({ ...entry, result: 'failed', error: (error as Error).message });
        this.options.onFault?.({ type: 'failed', request, error: (error as Error).message });
        if (keep) await this.settleFailedApply(record, recorded ? error : undefined);
        return error as Error;
      },
    );
    this.inflight.set(record.id, settled.then(noop));
    const failure = await settled;
    this.inflight.delete(record.id);
    if (failure) throw failure;
    audit.write({ ...entry, result: 'ok' });
    this.options.onFault?.({ type: 'applied', record });
    const label = `${describeFault(record.kind, record.params)} ${record.target.slotName}`;
    // A kill or stop is a moment; the others last until undone.
    this.options.onWindow?.({ id: record.id, label, start: now, ...(keep ? {} : { end: now }) });
    // Undone already (a quit arrived while applying): nothing more to record.
    if (!keep || !this.faults.includes(record)) return record;
    record.status = 'active';
    this.changed();
    // The swarm's copy says so too (and that its holder is alive), for the other operators.
    if (record.inSwarm)
      void this.options.cluster?.touch(record.id, Date.now(), 'active').catch(noop);
    // Applied: a ledger behind by one status is a warning, never a failed fault (its entry still
    // holds the undo, and restore undoes an applying entry as it does an active one).
    await this.options.ledger
      .update(record.id, { status: 'active' })
      .catch((error: unknown) =>
        this.warn(
          `${label}: applied, but its ledger entry still says applying (${(error as Error).message})`,
        ),
      );
    this.schedule(record);
    return record;
  }

  /**
   * Undoes one fault (`why`: it ended on its own, for the journal); a failure stays listed and in
   * the ledger as undo-failed.
   */
  undo(id: string, why?: string): Promise<UndoResult> {
    const running = this.undoing.get(id);
    if (running) return running;
    const record = this.faults.find((f) => f.id === id);
    if (!record) return Promise.resolve('gone');
    const undo = this.runOne(record, why).finally(() => this.undoing.delete(id));
    this.undoing.set(id, undo);
    return undo;
  }

  /** Undoes the faults that match, last applied first. */
  async undoWhere(match: (record: FaultRecord) => boolean): Promise<UndoSummary> {
    const summary: UndoSummary = { undone: [], gone: [], died: [], failed: [] };
    for (const record of [...this.faults].reverse()) {
      if (!match(record)) continue;
      const outcome = await this.undo(record.id);
      if (outcome === 'done') summary.undone.push(record);
      else if (outcome === 'gone') summary.gone.push(record);
      else if (outcome === 'died') summary.died.push(record);
      else summary.failed.push(record);
    }
    return summary;
  }

  /** Undoes everything this console holds, last applied first (halt). */
  undoAll(): Promise<UndoSummary> {
    return this.undoWhere(() => true);
  }

  /** The way out (quit, signals, crash): no new faults from now on, then everything undone. */
  close(): Promise<UndoSummary> {
    this.closing = true;
    return this.undoAll();
  }

  /** Stops the window timers and the heartbeat without undoing (once everything was undone). */
  dispose(): void {
    this.timers.clearAll();
    this.stopHeartbeat();
  }

  private heartbeat?: ReturnType<typeof setInterval>;
  /** Faults whose record this controller removed to undo them (their claim), until it is done. */
  private readonly claimed = new Set<string>();

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * While it holds faults recorded in the swarm, says so every HEARTBEAT_MS (a label on each
   * record), so another machine tells a live holder from a gone one. A record found gone was
   * ended by someone else (`undo --force` from another machine): dropped here, and said.
   */
  private beat(): void {
    const cluster = this.options.cluster;
    if (!cluster || this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const held = this.faults.filter(
        (f) => f.status !== 'applying' && !f.dryRun && f.inSwarm && !this.claimed.has(f.id),
      );
      if (held.length === 0) return this.stopHeartbeat();
      for (const f of held)
        void cluster.touch(f.id, Date.now(), f.status).then(
          (there) => (there === 'gone' ? this.endedElsewhere(f) : undefined),
          () => undefined,
        );
    }, this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref?.();
  }

  private endedElsewhere(record: FaultRecord, by?: string): void {
    if (!this.faults.includes(record) || this.claimed.has(record.id)) return;
    this.timers.clear(record.id);
    void this.options.ledger.remove(record.id).catch(noop);
    const who = by?.startsWith('watchdog')
      ? `the cluster's ${by}`
      : by
        ? `another operator (${by})`
        : 'another operator';
    this.warn(
      `${describeFault(record.kind, record.params)} ${record.target.slotName}: ${by ? 'being undone' : 'ended'} by ${who}${by ? '' : ' (its record left the swarm)'}`,
    );
    this.options.onFault?.({
      type: 'undone',
      record,
      outcome: 'gone',
      why: `ended by ${who}`,
    });
    this.forget(record.id);
  }

  private async runOne(record: FaultRecord, why?: string): Promise<UndoResult> {
    const { audit, ledger } = this.options;
    const inflight = this.inflight.get(record.id);
    // Bounded: an engine that never answers must not keep the other undos waiting forever.
    if (inflight) await waitAtMost(inflight, this.options.inflightWaitMs ?? 15_000);
    if (!this.faults.includes(record)) return 'gone';
    this.timers.clear(record.id);
    const entry = {
      action: `undo ${record.kind}`,
      target: auditTarget(record.target),
      params: record.params,
    };
    try {
      if (record.dryRun) {
        audit.write({ ...entry, result: 'dry-run' });
        this.options.onFault?.({ type: 'undone', record, outcome: 'undone' });
        this.forget(record.id);
        return 'done';
      }
      // The undo is applied once: it is claimed in the swarm's record first (compare-and-set),
      // and the record goes only once the undo is done.
      const claim = await this.claimInSwarm(record);
      if (claim === 'gone' || typeof claim === 'object') {
        this.endedElsewhere(record, typeof claim === 'object' ? claim.heldBy : undefined);
        return 'gone';
      }
      let outcome: UndoOutcome;
      try {
        outcome = await runUndo(record, this.options);
      } catch (error) {
        this.claimed.delete(record.id);
        throw error;
      }
      // Claimed until it is dropped: a heartbeat between the record's removal (afterUndo) and the
      // end would otherwise find the record gone and take this undo for another operator's.
      try {
        return await this.afterUndo(record, outcome, entry, why);
      } finally {
        this.claimed.delete(record.id);
      }
    } catch (error) {
      const message = (error as Error).message;
      record.status = 'undo-failed';
      record.error = message;
      await ledger.update(record.id, { status: 'undo-failed', error: message }).catch(noop);
      // Awaited: a restore that exits now must leave the swarm saying so (the claim let go).
      const cluster = this.options.cluster;
      if (record.inSwarm && cluster)
        await cluster
          .release(record.id, cluster.claimer, Date.now(), CLAIM_DEADLINE_MS)
          .catch(noop);
      audit.write({ ...entry, result: 'failed', error: message });
      this.options.onFault?.({ type: 'undone', record, outcome: 'failed', error: message });
      this.changed();
      this.retryLater(record, message);
      return 'failed';
    }
  }

  /** After a done undo: the record, the watchdog and the ledger entry go; it is said and dropped. */
  private async afterUndo(
    record: FaultRecord,
    outcome: UndoOutcome,
    entry: Pick<AuditEntry, 'action' | 'target' | 'params'>,
    why: string | undefined,
  ): Promise<UndoOutcome> {
    // Done: the record goes (a swarm out of reach keeps it; restore or its watchdog, finding
    // the fault undone, removes it), and the watchdog with it.
    if (record.inSwarm)
      await this.options.cluster?.remove(record.id, CLAIM_DEADLINE_MS).catch(noop);
    // Awaited: a command exits right after, and must leave no watchdog behind.
    await this.options.watchdogs?.disarm(record.id).catch(noop);
    // Undone on the cluster: an entry the disk cannot drop is a warning (restore finds nothing
    // left to put back), never an undo that failed.
    await this.options.ledger
      .remove(record.id)
      .catch((error: unknown) =>
        this.warn(
          `${record.kind} ${record.target.slotName}: undone, but its ledger entry stays (${(error as Error).message}); chaosdeck restore will find it already undone`,
        ),
      );
    const end = Date.now();
    this.options.onWindow?.({ id: record.id, label: record.kind, start: record.appliedAt, end });
    this.options.audit.write({
      ...entry,
      result: outcome === 'done' ? 'ok' : 'dropped',
      ...(outcome === 'gone' ? { error: 'target is gone; nothing to undo' } : {}),
      ...(outcome === 'died' ? { error: 'target died; nothing to undo on it' } : {}),
    });
    this.options.onFault?.({
      type: 'undone',
      record,
      outcome: outcome === 'done' ? 'undone' : outcome,
      ...(why ? { why } : {}),
    });
    this.forget(record.id);
    return outcome;
  }

  /**
   * After a failed apply: drop it when nothing changed (the engine said so, or the ledger refused
   * it before the change: `error` undefined), else undo whatever is there.
   */
  private async settleFailedApply(record: FaultRecord, error: unknown): Promise<void> {
    if (!this.faults.includes(record)) return;
    if (error !== undefined && !definitelyNotApplied(error)) {
      try {
        await runUndo(record, this.options);
      } catch (undoError) {
        record.status = 'undo-failed';
        record.error = `apply failed (${(error as Error).message}) and undo too: ${(undoError as Error).message}`;
        await this.options.ledger.update(record.id, record).catch(noop);
        this.changed();
        return;
      }
    }
    await this.options.cluster?.remove(record.id).catch(noop);
    await this.options.watchdogs?.disarm(record.id).catch(noop);
    await this.options.ledger.remove(record.id).catch(noop);
    this.forget(record.id);
  }

  /**
   * Claims the undo in the swarm's record: 'claimed'; 'gone' when it was undone elsewhere;
   * `{ heldBy }` when another is undoing it now; 'none' when it has no record there, or the swarm
   * does not answer in time (the undo goes ahead here: a hung manager must not hold it up).
   */
  private async claimInSwarm(
    record: FaultRecord,
  ): Promise<'claimed' | 'gone' | 'none' | { heldBy: string }> {
    const cluster = this.options.cluster;
    if (!cluster || !record.inSwarm) return 'none';
    try {
      // Claimed before the call: a heartbeat meanwhile must not take our own claim for another's.
      this.claimed.add(record.id);
      const claim = await cluster.claim(
        record.id,
        cluster.claimer,
        Date.now(),
        (by) => claimerGone(by, cluster.owner),
        CLAIM_DEADLINE_MS,
      );
      if (claim !== 'claimed') this.claimed.delete(record.id);
      return claim;
    } catch (error) {
      this.warn(
        `${record.kind} ${record.target.slotName}: its record in the swarm cannot be claimed (${(error as Error).message}); undone here all the same`,
      );
      return 'none';
    }
  }

  /** The swarm's record, before anything changes; without it the fault is not applied. */
  private async recordInSwarm(record: FaultRecord): Promise<void> {
    const cluster = this.options.cluster;
    if (!cluster) return;
    try {
      await cluster.add(record);
      this.beat();
    } catch (error) {
      await this.options.ledger.remove(record.id).catch(noop);
      throw new FaultError(
        `the swarm did not take the fault's record (${(error as Error).message}), so nothing was applied: other operators could not see it or end it`,
      );
    }
  }

  /**
   * A failed undo is tried again while this chaosdeck runs (an engine out of reach for a while, a
   * window that ended during the outage): 2 s, 4 s, 8 s … at most 30 s apart. Not on the way out:
   * the exit says what is left, and restore undoes it.
   */
  private retryLater(record: FaultRecord, message: string): void {
    if (this.closing) return;
    const attempt = (this.retries.get(record.id) ?? 0) + 1;
    this.retries.set(record.id, attempt);
    const delay = undoRetryMs(attempt);
    this.timers.set(record.id, Date.now() + delay, () => void this.undo(record.id));
    this.warn(
      `undo of ${describeFault(record.kind, record.params)} ${record.target.slotName} failed, trying again in ${delay / 1000} s: ${message}`,
    );
  }

  private schedule(record: FaultRecord): void {
    if (!record.endsAt || record.status === 'undo-failed') return;
    // The window ends: undo by itself (a failure shows up like any failed undo).
    this.timers.set(record.id, record.endsAt, () => void this.undo(record.id));
  }

  private forget(id: string): void {
    this.retries.delete(id);
    this.faults = this.faults.filter((f) => f.id !== id);
    this.changed();
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  private changed(): void {
    this.options.onChange?.([...this.faults]);
  }
}
