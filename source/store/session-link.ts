import type { GameDay } from '../session/game-day.js';
import type { DeckStore } from './deck-store.js';

/**
 * Mirrors the session core into the console's store: the faults it holds, the recoveries it saw,
 * the fault windows. The store shows them; the session stays their one source of truth.
 * Returns the stop function.
 */
export function linkSession(store: DeckStore, session: GameDay): () => void {
  return session.subscribe((change) => {
    const a = store.getState().actions;
    if (change.type === 'faults') a.setFaults(change.faults);
    else if (change.type === 'recoveries') a.setRecoveries(change.recoveries);
    else if (change.type === 'window') a.upsertWindow(change.window);
    else if (change.record.kind === 'kill' || change.record.kind === 'stop')
      a.noteChaosKill(change.record.target.containerId);
  });
}
