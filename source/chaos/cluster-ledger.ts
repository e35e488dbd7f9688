import type { SwarmPort } from '../docker/port.js';
import type { FaultRecord, FaultStatus } from '../domain/fault.js';
import { faultRecordSchema, firstIssue } from './ledger-schema.js';
import { ownerAlive } from './applier.js';
import type { Ledger } from './ledger.js';

/** The label every chaosdeck record in the swarm carries (its value: the fault's id). */
export const FAULT_LABEL = 'chaosdeck.fault';

/** A record's config name: one per fault, so creating it twice fails. */
export function recordName(id: string): string {
  return `chaosdeck-fault-${id}`;
}

/** A fault as the swarm holds it: the record, and who applied it. */
export interface ClusterRecord {
  record: FaultRecord;
  /** user@host of the run that applied it. */
  owner: string;
  /** When its holder last said it is alive (epoch ms): the heartbeat, else when it was written. */
  aliveAt: number;
}

export { HEARTBEAT_MS, holderAlive, OWNER_GONE_MS } from '../domain/fault.js';

/**
 * A claim older than this is taken over: its claimer died while undoing (an undo through a
 * helper takes up to 45 s, so well beyond that).
 */
export const CLAIM_STALE_MS = 90_000;

/**
 * The ledger the swarm keeps: each active fault is a Swarm config (immutable, replicated by every
 * manager, label-filterable), written before the fault is applied and removed when it is undone,
 * so any operator of the swarm sees it from any machine. The file ledger stays the local cache.
 */
export class ClusterLedger {
  constructor(
    private readonly swarm: Pick<
      SwarmPort,
      'createConfig' | 'removeConfig' | 'listConfigs' | 'labelConfig' | 'readConfig'
    >,
    /** user@host of this run. */
    readonly owner: string,
  ) {}

  /** Who claims an undo from this process: its owner and pid. */
  get claimer(): string {
    return `${this.owner} pid ${process.pid}`;
  }

  /** Writes the record; an error means the swarm did not take it (the fault is not applied). */
  async add(record: FaultRecord): Promise<void> {
    await this.swarm.createConfig(
      recordName(record.id),
      {
        [FAULT_LABEL]: record.id,
        'chaosdeck.owner': this.owner,
        'chaosdeck.kind': record.kind,
        'chaosdeck.target': record.target.slotName,
        ...(record.endsAt ? { 'chaosdeck.ends-at': new Date(record.endsAt).toISOString() } : {}),
      },
      JSON.stringify(record),
    );
  }

  /**
   * The holder's heartbeat, with where the fault stands (the record's data is as it was written,
   * before the change: applying). 'gone': someone else ended the fault; 'refused': someone is
   * undoing it now (a claim is never overwritten by a heartbeat).
   */
  async touch(id: string, now: number, status?: FaultStatus): Promise<'done' | 'gone' | 'refused'> {
    return this.swarm.labelConfig(
      recordName(id),
      {
        'chaosdeck.alive-at': new Date(now).toISOString(),
        ...(status ? { 'chaosdeck.status': status } : {}),
      },
      { when: (labels) => labels['chaosdeck.status'] !== 'undoing' },
    );
  }

  /**
   * Claims the undo, so it is applied once: the record says `undoing` by `claimer` (a
   * compare-and-set on the config's version), and is removed only once the undo is done. 'gone':
   * already undone (the record goes last); `{ heldBy }`: another is undoing it now. A claim whose
   * claimer `takeable` deems gone (a dead pid on this machine, a claim older than
   * CLAIM_STALE_MS) is taken over. Throws when the swarm does not answer.
   */
  async claim(
    id: string,
    claimer: string,
    now: number,
    takeable: (claimedBy: string) => boolean = () => false,
    deadlineMs?: number,
  ): Promise<'claimed' | 'gone' | { heldBy: string }> {
    let heldBy = '';
    const result = await this.swarm.labelConfig(
      recordName(id),
      {
        'chaosdeck.status': 'undoing',
        'chaosdeck.claimed-by': claimer,
        'chaosdeck.claimed-at': new Date(now).toISOString(),
      },
      {
        when: (labels) => {
          heldBy = labels['chaosdeck.claimed-by'] ?? '';
          if (labels['chaosdeck.status'] !== 'undoing' || heldBy === claimer) return true;
          const at = Date.parse(labels['chaosdeck.claimed-at'] ?? '');
          return Number.isNaN(at) || now - at > CLAIM_STALE_MS || takeable(heldBy);
        },
        ...(deadlineMs ? { deadlineMs } : {}),
      },
    );
    if (result === 'refused') return { heldBy };
    return result === 'done' ? 'claimed' : 'gone';
  }

  /** An undo that failed: the claim is let go and the record says undo-failed, for everyone. */
  async release(id: string, claimer: string, now: number, deadlineMs?: number): Promise<void> {
    await this.swarm.labelConfig(
      recordName(id),
      {
        'chaosdeck.status': 'undo-failed',
        'chaosdeck.claimed-by': '',
        'chaosdeck.alive-at': new Date(now).toISOString(),
      },
      {
        when: (labels) => labels['chaosdeck.claimed-by'] === claimer,
        ...(deadlineMs ? { deadlineMs } : {}),
      },
    );
  }

  /** Removes the record once its undo is done; false when it was already gone. */
  remove(id: string, deadlineMs?: number): Promise<boolean> {
    return this.swarm.removeConfig(recordName(id), deadlineMs);
  }

  /**
   * One fault's record as the swarm holds it, with the manager's times (created, last changed:
   * the holder's last heartbeat); undefined once it is gone. Throws when it cannot be read.
   */
  async read(
    id: string,
  ): Promise<(ClusterRecord & { createdAt: number; updatedAt: number }) | undefined> {
    const c = await this.swarm.readConfig(recordName(id));
    if (!c) return undefined;
    const parsed = faultRecordSchema.safeParse(JSON.parse(c.data));
    if (!parsed.success) throw new Error(`${c.name}: ${firstIssue(parsed.error)}`);
    const beat = Date.parse(c.labels['chaosdeck.alive-at'] ?? '');
    return {
      record: parsed.data,
      owner: c.labels['chaosdeck.owner'] ?? '?',
      aliveAt: Number.isNaN(beat) ? c.createdAt : beat,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  /** Every fault the swarm holds, of every owner; records it cannot read are named, not used. */
  async list(): Promise<{ records: ClusterRecord[]; invalid: string[] }> {
    const records: ClusterRecord[] = [];
    const invalid: string[] = [];
    for (const c of await this.swarm.listConfigs(FAULT_LABEL)) {
      let parsed: ReturnType<typeof faultRecordSchema.safeParse>;
      try {
        parsed = faultRecordSchema.safeParse(JSON.parse(c.data));
      } catch {
        invalid.push(`${c.name}: not JSON`);
        continue;
      }
      const beat = Date.parse(c.labels['chaosdeck.alive-at'] ?? '');
      const status = c.labels['chaosdeck.status'];
      if (parsed.success)
        records.push({
          record:
            status === 'active' || status === 'undo-failed'
              ? { ...parsed.data, status }
              : parsed.data,
          owner: c.labels['chaosdeck.owner'] ?? '?',
          aliveAt: Number.isNaN(beat) ? c.createdAt : beat,
        });
      else invalid.push(`${c.name}: ${firstIssue(parsed.error)}`);
    }
    return { records, invalid };
  }
}

/**
 * The local ledger squared with the swarm's: an entry recorded in the swarm whose record is gone
 * there, and whose holder no longer runs, was undone elsewhere (its watchdog, another machine):
 * dropped here, and returned to be said. A swarm that cannot be read changes nothing.
 */
export async function settleWithSwarm(
  ledger: Pick<Ledger, 'list' | 'remove'>,
  cluster: Pick<ClusterLedger, 'list'>,
): Promise<FaultRecord[]> {
  const local = ledger.list().filter((r) => r.inSwarm && !r.dryRun && !ownerAlive(r));
  if (local.length === 0) return [];
  const held = await cluster.list().catch(() => undefined);
  if (!held) return [];
  const gone = local.filter((r) => !held.records.some((c) => c.record.id === r.id));
  for (const r of gone) await ledger.remove(r.id).catch(() => undefined);
  return gone;
}
