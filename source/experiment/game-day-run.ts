import { observeOnce } from '../fault-run/wait-recovery.js';
import type { SwarmPort } from '../docker/port.js';
import type { GameDay } from '../game-day/game-day.js';
import { activityExecutor } from './execute.js';
import type { Experiment } from './load.js';
import { exitCodeOf, runExperiment, type ExperimentEvent, type ExperimentRun } from './runner.js';

/** What running an experiment on a game day needs. */
export interface GameDayRunOptions {
  gameDay: GameDay;
  swarm: SwarmPort;
  /** The file, for the journal. */
  file: string;
  /** Default timeout of process and http providers. */
  timeoutMs: number;
  /** How often hypothesis probes sample while the method runs. */
  sampleIntervalMs: number;
  dryRun: boolean;
  /** Each event, for a front end to show. */
  onEvent: (e: ExperimentEvent) => void;
  /** An undo that failed (the ledger keeps the fault for `restore`). */
  warn: (text: string) => void;
  /**
   * Watch the touched services' tasks this often while it runs (a command: nothing else does;
   * the console's live view already does), so a task the method's load kills is seen ending,
   * its cause and its recovery journaled.
   */
  watchEveryMs?: number;
}

/** Sleeps `ms`, or less when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs an experiment on a game day (a command's or the console's): its faults through the
 * game day's fault path, its samples and steps in the game day's journal, and at the end exactly
 * the faults it applied undone (a console's own faults stay as they are).
 */
export async function runOnGameDay(
  exp: Experiment,
  o: GameDayRunOptions,
  interrupt: AbortSignal,
): Promise<{ run: ExperimentRun; code: number }> {
  const { gameDay } = o;
  const applied = new Set<string>();
  const unsubscribe = gameDay.subscribe((c) => {
    if (c.type === 'applied') applied.add(c.record.id);
  });
  gameDay.experiment('start', exp.title, {
    file: o.file,
    dryRun: o.dryRun,
    ...(exp.ignored.length ? { ignored: exp.ignored } : {}),
  });
  if (exp.ignored.length)
    o.warn(
      `chaosdeck reads past ${exp.ignored.join(', ')}: Chaos Toolkit would run them; nothing here does`,
    );
  const stopWatch = new AbortController();
  const watching = o.watchEveryMs ? watch(o, o.watchEveryMs, stopWatch.signal) : undefined;
  try {
    const run = await runExperiment(
      exp,
      {
        execute: activityExecutor({
          gameDay,
          swarm: o.swarm,
          timeoutMs: o.timeoutMs,
          dryRun: o.dryRun,
        }),
        undoAll: async () => {
          const summary = await gameDay.undoWhere((r) => applied.has(r.id));
          for (const f of summary.failed)
            o.warn(
              `undo of ${f.kind} on ${f.target.slotName} failed: chaosdeck restore retries it`,
            );
        },
        sleep,
        now: Date.now,
        emit: (e) => {
          if (e.type === 'sample') {
            const { name, at, ms, ok, error } = e;
            gameDay.recordSample({ name, at, ms, ok, ...(error ? { error } : {}) }, 'probe');
          } else if (e.type === 'end')
            gameDay.experiment('activity', exp.title, {
              phase: e.phase,
              name: e.run.activity.name,
              status: e.run.status,
              ...(e.run.tolerance_met !== undefined ? { tolerance_met: e.run.tolerance_met } : {}),
              ...(e.run.why ? { why: e.run.why } : {}),
              ...(e.run.exception ? { exception: e.run.exception } : {}),
            });
          o.onEvent(e);
        },
        sampleIntervalMs: o.sampleIntervalMs,
        // As the fault commands do: a few samples before and after, for the latency table.
        baselineMs: Math.max(3000, o.sampleIntervalMs * 3),
        dryRun: o.dryRun,
      },
      interrupt,
    );
    const code = exitCodeOf(run);
    gameDay.experiment('end', exp.title, {
      status: run.status,
      deviated: run.deviated,
      verdict: run.verdict,
      code,
    });
    return { run, code };
  } finally {
    stopWatch.abort();
    await watching;
    unsubscribe();
  }
}

/** Observes each service the game day touched, every `everyMs`, until stopped. */
async function watch(o: GameDayRunOptions, everyMs: number, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    for (const id of o.gameDay.focus())
      await observeOnce(o.gameDay, o.swarm, id).catch(() => undefined);
    await sleep(everyMs, stop);
  }
}
