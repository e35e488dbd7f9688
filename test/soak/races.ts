import { execa } from 'execa';
import { LABW1 } from '../helpers/chaos-lab.js';
import { docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { Tui } from '../helpers/tui.js';
import { isPaused, ledgerOf, openPause, selectWorker, worker } from '../helpers/undo-lab.js';

const NODES = ['--node', `labw1=${LABW1}`];

/** One race: what it checked and whether chaosdeck lost it. */
export interface RaceResult {
  name: string;
  lost: boolean;
  detail: string;
}

function restore(home: string) {
  return execa('node', ['dist/cli.js', 'restore', ...NODES], {
    env: { XDG_STATE_HOME: home },
    reject: false,
  });
}

/**
 * Two consoles and a restore on one ledger: A pauses and is SIGKILLed; B pauses while restore
 * runs. Restore must undo A's fault only, B's must stay listed and paused until B undoes it.
 */
export async function consolesAndRestore(round: number): Promise<RaceResult> {
  const home = new Tui().stateHome;
  const [wa, wb] = [await worker('labw1'), await worker('vm')];
  const a = await new Tui(home).start(['--yes', ...NODES]);
  const b = await new Tui(home).start(['--yes', ...NODES]);
  const problems: string[] = [];
  try {
    await selectWorker(a, 'labw1');
    await selectWorker(b, 'vm');
    await openPause(a);
    await a.keys(['Enter']);
    await waitFor('A paused', () => isPaused(wa));
    await a.waitScreen(/Active faults 1/);
    process.kill(a.pid, 'SIGKILL');
    await a.waitExit();
    await openPause(b);
    const [r] = await Promise.all([restore(home), b.keys(['Enter'])]);
    await waitFor('B paused', () => isPaused(wb));
    await b.waitScreen(/Active faults 1/);
    if (r.exitCode !== 0) problems.push(`restore exit ${r.exitCode}`);
    if (await isPaused(wa)) problems.push("A's pause left by restore");
    if (!(await isPaused(wb))) problems.push("B's pause undone by restore");
    const listed = ledgerOf(home);
    if (JSON.stringify(listed) !== JSON.stringify([`${wb.containerId.slice(0, 12)} active`]))
      problems.push(`ledger ${JSON.stringify(listed)}`);
    await b.keys(['q']);
    await b.waitExit();
    if (await isPaused(wb)) problems.push("B's pause left after q");
    if (ledgerOf(home).length) problems.push('ledger not empty at the end');
  } catch (error) {
    problems.push((error as Error).message.split('\n')[0]!);
    // The whole message (a helper's carries the screen) for whoever reads the CI log.
    process.stderr.write(`race: ${(error as Error).message}\n`);
  } finally {
    await a.stop();
    await b.stop();
    await restore(home);
  }
  return {
    name: `two consoles + restore #${round}`,
    lost: problems.length > 0,
    detail: problems.join('; '),
  };
}

/** A pause active while the manager's dockerd restarts: afterwards nothing may stay paused. */
export async function dockerdRestart(): Promise<RaceResult> {
  const w = await worker('vm');
  const tui = await new Tui().start(['--yes', ...NODES]);
  const problems: string[] = [];
  try {
    await selectWorker(tui, 'vm');
    await openPause(tui);
    await tui.keys(['Enter']);
    await waitFor('the pause', () => isPaused(w));
    await execa('bash', ['scripts/lab.sh', 'stop-engine']);
    await execa('bash', ['scripts/lab.sh', 'start-engine']);
    await tui.waitScreen(/● live/, 90_000);
    await tui.keys(['q']);
    const code = await tui.waitExit(60_000);
    if (code !== 0) problems.push(`exit ${code}`);
    const paused = await docker(['ps', '-q', '--filter', 'status=paused']);
    if (paused) problems.push(`paused after the restart: ${paused}`);
    if (ledgerOf(tui.stateHome).length) problems.push('ledger not empty');
  } catch (error) {
    problems.push((error as Error).message.split('\n')[0]!);
    // The whole message (a helper's carries the screen) for whoever reads the CI log.
    process.stderr.write(`race: ${(error as Error).message}\n`);
  } finally {
    await tui.stop();
    await restore(tui.stateHome);
    await waitLabConverged(180_000);
  }
  return {
    name: 'dockerd restart under a pause',
    lost: problems.length > 0,
    detail: problems.join('; '),
  };
}
