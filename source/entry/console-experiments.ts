import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SwarmPort } from '../docker/port.js';
import type { GameDay } from '../game-day/game-day.js';
import type { ExperimentPort } from '../console/experiment-flow.js';
import type { ExperimentChoice } from '../store/dialog.js';

/** What the console's experiments need. */
export interface ConsoleExperimentOptions {
  gameDay: GameDay;
  swarm: SwarmPort;
  /** The directory `R` lists (./experiments or --experiments DIR). */
  dir: string;
  timeoutMs: number;
  sampleIntervalMs: number;
  dryRun: boolean;
}

// The experiment modules (YAML, the Chaos Toolkit schema, the runner) load on the first `R`:
// a console that runs none does not pay for them at start-up.
const modules = () =>
  Promise.all([
    import('../experiment/load.js'),
    import('../experiment/game-day-run.js'),
    import('../experiment/lines.js'),
  ]);

/**
 * The console's experiments (`R`): the files of a directory, each checked as `run --validate`
 * does, run on the console's own game day (its journal, its faults bar, its timers).
 */
export function consoleExperiments(o: ConsoleExperimentOptions): ExperimentPort {
  return {
    dir: o.dir,
    async list() {
      const [{ loadExperiment }] = await modules();
      const names = (await readdir(o.dir).catch(() => [] as string[]))
        .filter((n) => /\.(json|ya?ml)$/i.test(n))
        .sort();
      return names.map((file): ExperimentChoice => {
        const r = loadExperiment(join(o.dir, file));
        if ('experiment' in r) return { file, title: r.experiment.title };
        const first = r.problems[0]!;
        const more = r.problems.length > 1 ? ` (+${r.problems.length - 1} more)` : '';
        return { file, problem: `${first.path}: ${first.message}${more}` };
      });
    },
    start(file, out) {
      const interrupt = new AbortController();
      const go = async () => {
        const [{ loadExperiment }, { runOnGameDay }, { eventLines }] = await modules();
        const r = loadExperiment(join(o.dir, file));
        if ('problems' in r)
          return out.done(`${file} is not valid: ${r.problems[0]!.message}`, false);
        const { run, code } = await runOnGameDay(
          r.experiment,
          {
            gameDay: o.gameDay,
            swarm: o.swarm,
            file: join(o.dir, file),
            timeoutMs: o.timeoutMs,
            sampleIntervalMs: o.sampleIntervalMs,
            dryRun: o.dryRun,
            onEvent: (e) => {
              for (const l of eventLines(e)) out.line(l);
            },
            warn: (text) => out.line(`✗ ${text}`),
          },
          interrupt.signal,
        );
        out.done(run.verdict, code === 0);
      };
      go().catch((error: unknown) => out.done(`failed: ${(error as Error).message}`, false));
      return { halt: () => interrupt.abort() };
    },
  };
}
