import { writeFileSync } from 'node:fs';
import { readJournal } from './journal-read.js';
import { gameDayModel } from './game-day-model.js';
import { reportJson } from './report-json.js';
import { reportMarkdown } from './report-md.js';

/** Report formats. */
export type ReportFormat = 'md' | 'json';

/** Builds a report from a journal file; `skipped` names torn or foreign lines that were left out. */
export function buildReport(
  journalFile: string,
  format: ReportFormat,
  version: string,
): { text: string; skipped: number[] } {
  const { events, skipped } = readJournal(journalFile);
  const model = gameDayModel(events);
  const text =
    format === 'md'
      ? reportMarkdown(model, journalFile)
      : `${JSON.stringify(reportJson(model, version), null, 2)}\n`;
  return { text, skipped };
}

/** Writes the Markdown report next to its journal (game-day.jsonl → game-day.md). */
export function writeReportBeside(journalFile: string, version: string): string {
  const file = journalFile.replace(/\.jsonl$/, '') + '.md';
  writeFileSync(file, buildReport(journalFile, 'md', version).text, { mode: 0o600 });
  return file;
}
