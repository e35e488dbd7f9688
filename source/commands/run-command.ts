import { writeFileSync } from 'node:fs';
import type { SwarmPort } from '../docker/port.js';
import { latencyTable } from '../domain/latency.js';
import { ctkJournal } from '../experiment/ctk-journal.js';
import { eventLines, runningLine, verdictLines } from '../experiment/lines.js';
import type { Experiment } from '../experiment/load.js';
import { runOnGameDay } from '../experiment/game-day-run.js';
import type { GameDay } from '../game-day/game-day.js';
import { phaseCell } from '../format/latency-lines.js';
import { recoveryLine } from '../format/recovery-lines.js';

/** What `chaosdeck run` needs: the command's game day and manager, and where its lines go. */
export interface RunCommandDeps {
  gameDay: GameDay;
  swarm: SwarmPort;
  timeoutMs: number;
  sampleIntervalMs: number;
  dryRun: boolean;
  json: boolean;
  say: (line: string) => void;
  warn: (line: string) => void;
  /** Shows a line that stays until the next (a spinner on a terminal); returns its stop. */
  running?: (line: string) => () => void;
  /** Aborted by INT/TERM/HUP: the rollbacks run and every fault is undone. */
  interrupt: AbortSignal;
}

/**
 * `chaosdeck run EXPERIMENT`: the experiment on the game day, its progress a line per
 * activity, then the latency table, the recoveries and the verdict; the Chaos Toolkit journal
 * beside the game-day journal. Returns the exit code and that journal.
 */
export async function runExperimentCommand(
  deps: RunCommandDeps,
  exp: Experiment,
  file: string,
): Promise<{ code: number; document: Record<string, unknown> }> {
  const { gameDay, say, warn } = deps;
  let stopRunning: (() => void) | undefined;
  const show = (lines: string[]) => {
    stopRunning?.();
    stopRunning = undefined;
    for (const l of lines) say(l);
  };

  say(`Experiment: ${exp.title}${deps.dryRun ? ' (dry run: nothing is changed)' : ''}`);
  const { run, code } = await runOnGameDay(
    exp,
    {
      gameDay,
      swarm: deps.swarm,
      file,
      timeoutMs: deps.timeoutMs,
      sampleIntervalMs: deps.sampleIntervalMs,
      dryRun: deps.dryRun,
      onEvent: (e) => {
        show(eventLines(e));
        if (e.type === 'start' && deps.running) stopRunning = deps.running(runningLine(e.activity));
      },
      warn,
      watchEveryMs: 1000,
    },
    deps.interrupt,
  );
  show([]);
  const latency = latencyTable(gameDay.recordedSamples(), gameDay.faultWindows());
  for (const r of latency)
    say(
      `latency ${r.name}: before ${phaseCell(r.before)} · during ${phaseCell(r.during)} · after ${phaseCell(r.after)} (p50/p95/max)`,
    );
  for (const e of gameDay.recoveries()) say(recoveryLine(e, gameDay.causeOf(e.failedTaskId)));
  for (const l of verdictLines(run)) say(l);
  const document = ctkJournal(exp, run, { exitCode: code, journal: gameDay.journalFile, latency });
  const ctkFile = gameDay.journalFile.replace(/\.jsonl$/, '') + '.experiment.json';
  try {
    writeFileSync(ctkFile, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    if (!deps.json) say(`journal: ${gameDay.journalFile} (Chaos Toolkit journal: ${ctkFile})`);
  } catch (error) {
    warn(`could not write ${ctkFile}: ${(error as Error).message}`);
  }
  return { code, document };
}
