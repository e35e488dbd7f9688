/** A ledger entry that could not be read (the ledger's InvalidEntry, by shape). */
export interface UnreadableEntry {
  /** 1-based position in the file's list. */
  index: number;
  problem: string;
}

/** One line per ledger entry chaosdeck could not read (restore prints them all). */
export function invalidEntryLines(entries: UnreadableEntry[], file: string): string[] {
  return entries.map(
    (e) =>
      `ledger entry ${e.index} of ${file} ignored (${e.problem}): it stays in the file; check its target by hand, then delete the entry`,
  );
}

/** The console's one-line notice for unreadable entries; undefined when there are none. */
export function invalidEntriesNotice(entries: UnreadableEntry[], file: string): string | undefined {
  const first = entries[0];
  if (!first) return undefined;
  const what = entries.length > 1 ? 'entries' : 'entry';
  return `ignored ${entries.length} unreadable ledger ${what} (#${first.index}: ${first.problem}); they stay in ${file}`;
}
