import type { FaultRecord } from '../domain/fault.js';
import { faultSummary } from '../faults/lines.js';
import { holderAlive, type ClusterRecord } from '../chaos/cluster-ledger.js';
import type { GameDay } from '../game-day/game-day.js';

/** True when a ledger entry is the one `spec` names: a fault id prefix, a slot, service, task or container. */
export function matchesFault(r: FaultRecord, spec: string): boolean {
  const t = r.target;
  return (
    r.id.startsWith(spec) ||
    t.slotName === spec ||
    t.serviceName === spec ||
    (spec.length >= 6 && (t.taskId.startsWith(spec) || t.containerId.startsWith(spec)))
  );
}

/**
 * `chaosdeck undo [FAULT-ID|TARGET]`: undoes faults that a finished command (or a chaosdeck that
 * stopped) left in the ledger; with no argument, all of them. A fault held by a chaosdeck that is
 * still running is left to it. Returns the exit code (1 when nothing matched or an undo failed).
 */
export async function runUndoCommand(
  gameDay: Pick<GameDay, 'leftovers' | 'adopt' | 'undoWhere' | 'takeOver'>,
  all: FaultRecord[],
  spec: string | undefined,
  say: (line: string) => void,
  elsewhere: { records: ClusterRecord[]; force: boolean; now: number } = {
    records: [],
    force: false,
    now: 0,
  },
): Promise<{ code: number; undone: FaultRecord[]; failed: FaultRecord[]; skipped: FaultRecord[] }> {
  const wanted = all.filter((r) => spec === undefined || matchesFault(r, spec));
  const leftovers = gameDay.leftovers().filter((r) => wanted.some((w) => w.id === r.id));
  const skipped = wanted.filter((r) => !leftovers.some((l) => l.id === r.id));
  for (const r of skipped)
    say(
      `skipped (held by chaosdeck pid ${r.pid}, still running; it undoes it): ${faultSummary(r)}`,
    );
  // Another machine's faults, from the swarm: named by id or target (never all of them at once).
  const theirs = elsewhere.records.filter(
    (c) =>
      spec !== undefined && !all.some((r) => r.id === c.record.id) && matchesFault(c.record, spec),
  );
  const taken: FaultRecord[] = [];
  for (const c of theirs) {
    const seen = Math.round((elsewhere.now - c.aliveAt) / 1000);
    if (holderAlive(c, elsewhere.now) && !elsewhere.force) {
      skipped.push(c.record);
      say(
        `skipped (held by ${c.owner}, alive ${seen} s ago; it undoes it, or --force ends it from here): ${faultSummary(c.record)}`,
      );
    } else {
      say(
        `taking over from ${c.owner} (${holderAlive(c, elsewhere.now) ? `alive ${seen} s ago, --force` : `silent for ${seen} s`}): ${faultSummary(c.record)}`,
      );
      taken.push(c.record);
    }
  }
  if (wanted.length === 0 && theirs.length === 0) {
    say(spec ? `no active fault matches ${spec}` : 'nothing to undo: the ledger is empty');
    return { code: spec ? 1 : 0, undone: [], failed: [], skipped };
  }
  if (taken.length > 0) leftovers.push(...(await gameDay.takeOver(taken)));
  await gameDay.adopt(leftovers);
  const ids = new Set(leftovers.map((r) => r.id));
  const summary = await gameDay.undoWhere((r) => ids.has(r.id));
  const undone = [...summary.undone, ...summary.gone, ...summary.died];
  for (const r of summary.undone) say(`undone: ${faultSummary(r)}`);
  for (const r of summary.gone) say(`target gone, dropped: ${faultSummary(r)}`);
  for (const r of summary.died) say(`target died, nothing to undo: ${faultSummary(r)}`);
  for (const r of summary.failed) say(`UNDO FAILED, still active: ${faultSummary(r)}`);
  return {
    code: summary.failed.length > 0 || (leftovers.length === 0 && skipped.length > 0) ? 1 : 0,
    undone,
    failed: summary.failed,
    skipped,
  };
}
