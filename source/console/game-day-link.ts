import { settledLine } from '../faults/lines.js';
import { batchEvery } from '../live/ticker.js';
import type { GameDay } from '../game-day/game-day.js';
import type { DeckStore } from '../store/deck-store.js';

// Under swarm-wide churn (dozens of events a second) the container facts reach the store at
// most every 50 ms, so every view is worked out once per batch, not per event; the first of a
// calm spell (an outside kill) goes at once.
const FACTS_BATCH_MS = 50;

/**
 * Mirrors the game day into the console's store: the faults it holds, the recoveries it saw,
 * the fault windows, what it knows of each container. The store shows them; the game day stays
 * their one source of truth. Returns the stop function.
 */
export function linkGameDay(store: DeckStore, gameDay: GameDay): () => void {
  const facts = batchEvery<true>(
    () => store.getState().actions.setFacts(gameDay.containerFacts()),
    FACTS_BATCH_MS,
  );
  const unsubscribe = gameDay.subscribe((change) => {
    const a = store.getState().actions;
    if (change.type === 'faults') a.setFaults(change.faults);
    else if (change.type === 'recoveries') a.setRecoveries(change.recoveries);
    else if (change.type === 'window') a.upsertWindow(change.window);
    else if (change.type === 'facts') facts.push(true);
    else if (change.type === 'settled') a.setNotice(settledLine(change.record, change.why), 'warn');
  });
  return () => {
    unsubscribe();
    facts.stop();
  };
}
