import { ClusterLedger } from '../chaos/cluster-ledger.js';
import { watchOver, type WatchdogTiming } from '../commands/watchdog-command.js';
import type { CommandChoices } from './command-run.js';
import { createGameDay } from './game-day-setup.js';

/**
 * `chaosdeck watchdog FAULT-ID --ends-in D|--grace D|--max-hold D`: what a fault's watchdog
 * service runs on a manager (not for people). It undoes the fault through the same takeover as
 * `undo` from another machine, then removes its record and, last, its own service.
 */
export async function runWatchdog(
  c: CommandChoices,
  faultId: string,
  timing: WatchdogTiming,
): Promise<never> {
  const say = (line: string) =>
    process.stdout.write(`${new Date().toISOString()} watchdog ${faultId.slice(0, 8)}: ${line}\n`);
  const { gameDay, setNodes } = createGameDay({
    ...c,
    noWatchdogs: true,
    owner: `watchdog@${c.info.nodeName}`,
    onWriteError: say,
  });
  setNodes(await c.engine.listNodes());
  const cluster = new ClusterLedger(c.engine, '');
  // Removed by its holder after the undo: that is the normal end, not a failure.
  let ending = false;
  process.once('SIGTERM', () => {
    if (!ending) say('removed by its fault’s holder (the fault was undone)');
    process.exit(0);
  });
  say(
    `guarding it: ${
      timing.endsInMs !== undefined
        ? `undoes it when its window ends`
        : timing.maxHoldMs !== undefined
          ? `undoes it after the longest hold`
          : `undoes it once its holder is silent for the grace`
    }`,
  );
  const why = await watchOver(timing, {
    read: () => cluster.read(faultId),
    undo: async (record) => {
      const [taken] = await gameDay.takeOver([record]);
      return taken ? gameDay.undo(taken.id) : 'gone';
    },
    say,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  say(`${why}; the watchdog ends`);
  ending = true;
  gameDay.dispose();
  // Last: its own service (this container goes with it).
  await c.engine.removeWatchdog(faultId).catch(() => undefined);
  process.exit(0);
}
