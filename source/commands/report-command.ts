import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, type ReportFormat } from '../record/write-report.js';

/** The newest journal in the state directory, if any. */
export function latestJournal(stateDir: string): string | undefined {
  const dir = join(stateDir, 'journal');
  try {
    const names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    // Names are ISO start times: the last in order is the newest.
    return names.length ? join(dir, names.sort().at(-1)!) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `chaosdeck report [JOURNAL] [--format md|json] [-o FILE]`: needs no engine, only the journal.
 * Returns the exit code: 2 when there is no journal to read.
 */
export function runReport(
  journal: string | undefined,
  stateDir: string,
  format: string,
  output: string | undefined,
  version: string,
): number {
  const fail = (message: string) => {
    process.stderr.write(`chaosdeck: ${message}\n`);
    return 2;
  };
  if (format !== 'md' && format !== 'json') return fail(`--format md or json, not "${format}"`);
  const file = journal ?? latestJournal(stateDir);
  if (!file)
    return fail(`no journal in ${join(stateDir, 'journal')}; give one: chaosdeck report FILE`);
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return fail(`${file}: no such journal`);
  const { text, skipped } = buildReport(file, format as ReportFormat, version);
  if (skipped.length)
    process.stderr.write(
      `chaosdeck: skipped ${skipped.length} unreadable line(s) of ${file} (line ${skipped.join(', ')}; a torn last line after a crash is expected)\n`,
    );
  if (output) {
    writeFileSync(output, text);
    process.stderr.write(`chaosdeck: report written to ${output}\n`);
  } else process.stdout.write(text);
  return 0;
}
