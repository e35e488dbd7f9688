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

/** What a line means, which its colour says (none when colour is off). */
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'accent' | 'normal';

// The SGR foreground codes of the tones' colours (green, red, yellow, gray, cyan), as chalk
// writes them; normal is the terminal's own.
const CODES: Record<Tone, number | undefined> = {
  good: 32,
  bad: 31,
  warn: 33,
  dim: 90,
  accent: 36,
  normal: undefined,
};

/**
 * Text in a tone, bold and inverse as asked, with the codes Ink's Text writes for them (through
 * chalk), in its order; written here so that one setting decides colour (--no-color, NO_COLOR,
 * FORCE_COLOR=0, TERM=dumb) for every line. Empty text stays empty.
 */
export function paint(
  text: string,
  tone: Tone,
  { bold = false, inverse = false }: { bold?: boolean; inverse?: boolean } = {},
): string {
  if (!text) return text;
  const code = CODES[tone];
  if (code !== undefined) text = `\u001B[${code}m${text}\u001B[39m`;
  if (bold) text = `\u001B[1m${text}\u001B[22m`;
  if (inverse) text = `\u001B[7m${text}\u001B[27m`;
  return text;
}
