import type { FaultRecord } from '../domain/fault.js';
import type { DeckStore } from '../store/deck-store.js';

/** How often the swarm's fault records are read: another's fault shows within this. */
const EVERY_MS = 2000;

/**
 * Reads the faults the swarm holds every couple of seconds and shows in the faults bar those this
 * console does not hold (another console's, another machine's), each with its owner. A read that
 * fails keeps the last list (the header already says when the manager does not answer).
 * Returns the stop function.
 */
export function watchClusterFaults(
  store: DeckStore,
  list: () => Promise<{ records: { record: FaultRecord; owner: string; aliveAt: number }[] }>,
  everyMs = EVERY_MS,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const round = async () => {
    try {
      const { records } = await list();
      if (stopped) return;
      const mine = new Set(store.getState().faults.map((f) => f.id));
      store
        .getState()
        .actions.setOthersFaults(
          records
            .filter((r) => !mine.has(r.record.id))
            .map((r) => ({ ...r.record, owner: r.owner, aliveAt: r.aliveAt })),
        );
    } catch {
      // Kept as it was: the manager's silence is said in the header.
    }
    if (!stopped) timer = setTimeout(() => void round(), everyMs);
  };
  void round();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
