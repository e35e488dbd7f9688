import { writeFileSync } from 'node:fs';
import { latencyTable } from '../domain/latency.js';
import { ctkJournal } from '../experiment/ctk-journal.js';
import { eventLines, runningLine, verdictLines } from '../experiment/lines.js';
import type { Experiment } from '../experiment/load.js';
import { runOnSession } from '../experiment/session-run.js';
import { phaseCell } from '../format/latency-lines.js';
import { recoveryLine } from '../format/recovery-lines.js';
import { open, type CommandChoices } from './command-session.js';
import { spin } from './spinner.js';

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * `chaosdeck run EXPERIMENT`: the experiment on the session core, its progress a line per
 * activity (a spinner on a terminal), then the latency table, the recoveries and the verdict.
 * INT/TERM/HUP interrupt it: rollbacks run, every fault is undone, exit 3.
 */
export async function runExperimentCommand(
  c: CommandChoices,
  exp: Experiment,
  file: string,
): Promise<never> {
  const { session, say, warn, done } = await open(c, true, false);
  const interrupt = new AbortController();
  let signals = 0;
  for (const [name, n] of Object.entries(SIGNALS))
    process.on(name, () => {
      signals++;
      if (signals === 1) {
        warn(`${name}: interrupting the experiment; its rollbacks run and every fault is undone…`);
        interrupt.abort();
      } else if (signals === 2) warn('rolling back, please wait…');
      else {
        warn(
          `forced exit; faults maybe still active are in ${c.ledger.file}: chaosdeck restore undoes them`,
        );
        process.exit(128 + n);
      }
    });
  const tty = process.stdout.isTTY === true && !c.json;
  let stopSpinner: (() => void) | undefined;
  const show = (lines: string[]) => {
    stopSpinner?.();
    stopSpinner = undefined;
    for (const l of lines) say(l);
  };

  say(`Experiment: ${exp.title}${c.dryRun ? ' (dry run: nothing is changed)' : ''}`);
  const { run, code } = await runOnSession(
    exp,
    {
      session,
      swarm: c.engine,
      file,
      timeoutMs: c.config.probeTimeoutMs,
      sampleIntervalMs: c.config.probeIntervalMs,
      dryRun: c.dryRun,
      onEvent: (e) => {
        show(eventLines(e));
        if (e.type === 'start' && tty) stopSpinner = spin(process.stdout, runningLine(e.activity));
      },
      warn,
      watchEveryMs: 1000,
    },
    interrupt.signal,
  );
  show([]);
  const latency = latencyTable(session.recordedSamples(), session.faultWindows());
  for (const r of latency)
    say(
      `latency ${r.name}: before ${phaseCell(r.before)} · during ${phaseCell(r.during)} · after ${phaseCell(r.after)} (p50/p95/max)`,
    );
  for (const e of session.recoveries()) say(recoveryLine(e, session.causeOf(e.failedTaskId)));
  for (const l of verdictLines(run)) say(l);
  const document = ctkJournal(exp, run, { exitCode: code, journal: session.journalFile, latency });
  const ctkFile = session.journalFile.replace(/\.jsonl$/, '') + '.experiment.json';
  try {
    writeFileSync(ctkFile, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    if (!c.json) say(`journal: ${session.journalFile} (Chaos Toolkit journal: ${ctkFile})`);
  } catch (error) {
    warn(`could not write ${ctkFile}: ${(error as Error).message}`);
  }
  return done(code, document);
}
