import type { JournalEvent } from './journal-events.js';

type Step = Extract<JournalEvent, { type: 'experiment' }>;

/** One `chaosdeck run` read back from the journal: its steps and, when it finished, its end. */
export interface ExperimentRunRecord {
  title: string;
  start: Step;
  steps: Step[];
  end?: Step;
}

/** Groups a journal's experiment lines by run (one run runs one experiment). */
export function experimentRuns(events: JournalEvent[]): ExperimentRunRecord[] {
  const runs = new Map<string, ExperimentRunRecord>();
  for (const e of events) {
    if (e.type !== 'experiment') continue;
    if (e.phase === 'start') runs.set(e.session, { title: e.title, start: e, steps: [] });
    const run = runs.get(e.session);
    if (!run) continue;
    if (e.phase === 'activity') run.steps.push(e);
    if (e.phase === 'end') run.end = e;
  }
  return [...runs.values()];
}

const cell = (text: unknown) => String(text ?? '').replaceAll('|', '\\|');

/** The Markdown of the experiments a game day ran: verdict first, then each activity. */
export function experimentSection(runs: ExperimentRunRecord[]): string[] {
  if (runs.length === 0) return [];
  const out = ['## Steady-state experiments', ''];
  for (const r of runs) {
    const d = r.end?.detail ?? {};
    const verdict = r.end
      ? `${cell(d.verdict)} (status ${cell(d.status)}, deviated ${cell(d.deviated)})`
      : 'did not finish (the journal ends before its verdict)';
    out.push(`### ${cell(r.title)}`, '', `**Verdict:** ${verdict}  `);
    out.push(`**File:** \`${cell(r.start.detail.file)}\``, '');
    out.push('| Phase | Activity | Result |', '| --- | --- | --- |');
    for (const s of r.steps) {
      const x = s.detail;
      const result =
        x.tolerance_met === undefined
          ? `${cell(x.status)}${x.exception ? `: ${cell(x.exception)}` : ''}`
          : `${x.tolerance_met ? 'within tolerance' : '**outside tolerance**'}: ${cell(x.why ?? x.exception)}`;
      out.push(`| ${cell(x.phase)} | ${cell(x.name)} | ${result} |`);
    }
    out.push('');
  }
  return out;
}
