import { createContext, useContext, useRef } from 'react';
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

/**
 * A value derived from the whole state (a pane's lines) that keeps its identity while `same`
 * says it is unchanged: the component re-renders, and Ink redraws, only when what it shows
 * changed, not on every store update (a calm poll, a sample elsewhere).
 */
export function useDeckStable<T>(
  selector: (state: DeckState) => T,
  same: (a: T, b: T) => boolean,
): T {
  const previous = useRef<{ value: T }>(undefined);
  return useDeck((state) => {
    const next = selector(state);
    if (previous.current && same(previous.current.value, next)) return previous.current.value;
    previous.current = { value: next };
    return next;
  });
}

/** Same text and tone, line by line. */
export function sameLines(
  a: readonly { text: string; tone?: string }[],
  b: readonly { text: string; tone?: string }[],
): boolean {
  return a.length === b.length && a.every((l, i) => l.text === b[i]!.text && l.tone === b[i]!.tone);
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

// The SGR foreground codes of those colours (as chalk writes them).
const CODES: Record<Tone, number | undefined> = {
  good: 32,
  bad: 31,
  warn: 33,
  dim: 90,
  accent: 36,
  normal: undefined,
};

/** The SGR foreground code of a tone's colour; undefined for the terminal's own. */
export function toneCode(tone: Tone): number | undefined {
  return CODES[tone];
}

/** The colour for a tone, or undefined when colour is off. */
export function toneColor(color: boolean, tone: Tone): string | undefined {
  return color ? COLORS[tone] : undefined;
}
