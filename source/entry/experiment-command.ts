import type { Experiment } from '../experiment/load.js';
import { runExperimentCommand } from '../commands/run-command.js';
import { open, type CommandChoices } from './command-run.js';
import { spin } from './spinner.js';

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * Wires `chaosdeck run EXPERIMENT` (commands/run-command.ts): the command's game day, a spinner
 * on a terminal, and INT/TERM/HUP that interrupt it (rollbacks run, every fault undone, exit 3;
 * a third signal leaves at once, naming the ledger).
 */
export async function runExperiment(
  c: CommandChoices,
  exp: Experiment,
  file: string,
): Promise<never> {
  const { gameDay, say, warn, done } = await open(c, true, false);
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
  const { code, document } = await runExperimentCommand(
    {
      gameDay,
      swarm: c.engine,
      timeoutMs: c.config.probeTimeoutMs,
      sampleIntervalMs: c.config.probeIntervalMs,
      dryRun: c.dryRun,
      json: c.json,
      say,
      warn,
      ...(tty ? { running: (line: string) => spin(process.stdout, line) } : {}),
      interrupt: interrupt.signal,
    },
    exp,
    file,
  );
  return done(code, document);
}
