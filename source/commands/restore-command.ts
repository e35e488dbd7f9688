import type { ChaosController, UndoSummary } from '../chaos/controller.js';
import type { FaultRecord } from '../domain/fault.js';
import { faultSummary } from '../faults/lines.js';

/**
 * Lines that say what an undo of several faults did (for stderr after the console, and restore);
 * `then` is what to do about a failure (restore itself says: mend what the error names first).
 */
export function summaryLines(summary: UndoSummary, then = 'chaosdeck restore undoes it'): string[] {
  const lines: string[] = [];
  // An earlier failure of an undo that worked now is history, not news.
  for (const r of summary.undone) lines.push(`undone: ${faultSummary(r, false)}`);
  for (const r of summary.gone) lines.push(`target gone, dropped: ${faultSummary(r, false)}`);
  for (const r of summary.died)
    lines.push(
      `target died, nothing to undo (Swarm's replacement runs with the service's own settings): ${faultSummary(r, false)}`,
    );
  for (const r of summary.failed)
    lines.push(`UNDO FAILED, still active: ${faultSummary(r)} — ${then}`);
  return lines;
}

/**
 * `chaosdeck restore`: undoes the faults a dead chaosdeck left in the ledger, without the UI.
 * Returns the exit code: 0 when everything was undone (or gone), 1 when any undo failed.
 */
export async function runRestore(
  chaos: Pick<ChaosController, 'leftovers' | 'adopt' | 'close' | 'dispose'>,
  write: (line: string) => void,
  all: FaultRecord[],
): Promise<number> {
  const leftovers = chaos.leftovers();
  const running = all.filter((r) => !leftovers.some((l) => l.id === r.id));
  for (const r of running)
    write(
      `skipped (its chaosdeck, pid ${r.pid}, is still running and will undo it): ${faultSummary(r)}`,
    );
  if (leftovers.length === 0) {
    write('nothing to restore: no fault left active by a chaosdeck that stopped');
    return 0;
  }
  await chaos.adopt(leftovers);
  const summary = await chaos.close();
  chaos.dispose();
  for (const line of summaryLines(summary, 'mend what the error names, then run restore again'))
    write(line);
  return summary.failed.length > 0 ? 1 : 0;
}
