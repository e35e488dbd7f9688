import type { InvalidEntry } from '../chaos/ledger.js';

/** One line per ledger entry chaosdeck could not read (restore prints them all). */
export function invalidEntryLines(entries: InvalidEntry[], file: string): string[] {
  return entries.map(
    (e) =>
      `ledger entry ${e.index} of ${file} ignored (${e.problem}): it stays in the file; check its target by hand, then delete the entry`,
  );
}

/** The console's one-line notice for unreadable entries; undefined when there are none. */
export function invalidEntriesNotice(entries: InvalidEntry[], file: string): string | undefined {
  const first = entries[0];
  if (!first) return undefined;
  const what = entries.length > 1 ? 'entries' : 'entry';
  return `ignored ${entries.length} unreadable ledger ${what} (#${first.index}: ${first.problem}); they stay in ${file}`;
}
