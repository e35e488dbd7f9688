import { readFileSync } from 'node:fs';
import type { JournalEvent } from './journal-events.js';

/** A journal read back: its events in file order and the lines that were not events. */
export interface JournalRead {
  events: JournalEvent[];
  /** 1-based numbers of lines that did not parse (a torn last line after a crash). */
  skipped: number[];
}

/** Reads a journal, skipping lines that are not whole events (never fatal). */
export function parseJournal(text: string): JournalRead {
  const events: JournalEvent[] = [];
  const skipped: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line) as Partial<JournalEvent>;
      if (
        typeof value === 'object' &&
        value !== null &&
        typeof value.t === 'number' &&
        typeof value.type === 'string' &&
        typeof value.session === 'string'
      )
        events.push(value as JournalEvent);
      else skipped.push(i + 1);
    } catch {
      skipped.push(i + 1);
    }
  });
  return { events, skipped };
}

/** Reads a journal file (see parseJournal). */
export function readJournal(file: string): JournalRead {
  return parseJournal(readFileSync(file, 'utf8'));
}
