import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DeckState, DeckStore } from '../store/deck-store.js';

/** The store the components read. */
export const DeckContext = createContext<DeckStore | undefined>(undefined);

/** Reads a slice of the deck state; re-renders when it changes. */
export function useDeck<T>(selector: (state: DeckState) => T): T {
  const store = useContext(DeckContext);
  if (!store) throw new Error('useDeck outside <DeckContext.Provider>');
  return useStore(store, selector);
}

/** Ink colour names by meaning; undefined when colour is off (NO_COLOR). */
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'accent' | 'normal';

const COLORS: Record<Tone, string | undefined> = {
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  dim: 'gray',
  accent: 'cyan',
  normal: undefined,
};

/** The colour for a tone, or undefined when colour is off. */
export function toneColor(color: boolean, tone: Tone): string | undefined {
  return color ? COLORS[tone] : undefined;
}
