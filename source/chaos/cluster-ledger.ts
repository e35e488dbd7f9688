import type { SwarmPort } from '../docker/port.js';
import type { FaultRecord, FaultStatus } from '../domain/fault.js';
import { faultRecordSchema, firstIssue } from './ledger-schema.js';

/** The label every chaosdeck record in the swarm carries (its value: the fault's id). */
export const FAULT_LABEL = 'chaosdeck.fault';

/** A record's config name: one per fault, so creating it twice fails and removing it is a claim. */
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
 * The ledger the swarm keeps: each active fault is a Swarm config (immutable, replicated by every
 * manager, label-filterable), written before the fault is applied and removed when it is undone,
 * so any operator of the swarm sees it from any machine. The file ledger stays the local cache.
 */
export class ClusterLedger {
  constructor(
    private readonly swarm: Pick<
      SwarmPort,
      'createConfig' | 'removeConfig' | 'listConfigs' | 'labelConfig'
    >,
    private readonly owner: string,
  ) {}

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
   * before the change: applying); false when the record is gone (someone else ended the fault).
   */
  touch(id: string, now: number, status?: FaultStatus): Promise<boolean> {
    return this.swarm.labelConfig(recordName(id), {
      'chaosdeck.alive-at': new Date(now).toISOString(),
      ...(status ? { 'chaosdeck.status': status } : {}),
    });
  }

  /** Removes the record; false when it was already gone (someone else ended the fault). */
  remove(id: string): Promise<boolean> {
    return this.swarm.removeConfig(recordName(id));
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
