import type { FaultRecord } from '../domain/fault.js';
import { faultSummary } from '../faults/lines.js';
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
  gameDay: Pick<GameDay, 'leftovers' | 'adopt' | 'undoWhere'>,
  all: FaultRecord[],
  spec: string | undefined,
  say: (line: string) => void,
): Promise<{ code: number; undone: FaultRecord[]; failed: FaultRecord[]; skipped: FaultRecord[] }> {
  const wanted = all.filter((r) => spec === undefined || matchesFault(r, spec));
  const leftovers = gameDay.leftovers().filter((r) => wanted.some((w) => w.id === r.id));
  const skipped = wanted.filter((r) => !leftovers.some((l) => l.id === r.id));
  for (const r of skipped)
    say(
      `skipped (held by chaosdeck pid ${r.pid}, still running; it undoes it): ${faultSummary(r)}`,
    );
  if (wanted.length === 0) {
    say(spec ? `no active fault matches ${spec}` : 'nothing to undo: the ledger is empty');
    return { code: spec ? 1 : 0, undone: [], failed: [], skipped };
  }
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
