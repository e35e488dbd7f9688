import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { LABW1, targetOf } from '../helpers/chaos-lab.js';
import { describeLab, docker, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { isPaused, limitApiCpu, pauseWorker, stderrOf, worker } from '../helpers/undo-lab.js';

const NODES = ['--node', `labw1=${LABW1}`];

function cli(args: string[], env: Record<string, string> = {}) {
  return execa('node', ['dist/cli.js', ...args], { reject: false, timeout: 30_000, env });
}

describeLab('what a user gets wrong is named, and nothing acts out of sight', () => {
  const cases = consoleCases();

  it.each([
    [['--bogus'], /Unknown flag\s+--bogus/],
    [['status', '--jsn'], /Unknown flag\s+--jsn/],
    [['--bogus', 'status'], /Unknown flag\s+--bogus/],
    [['--probe-interval', '-1s', 'status'], /--probe-interval: "-1s" is not a duration/],
    [['status', 'extra'], /unknown command "status extra"/],
  ])('%j is refused with exit 2', async (args, message) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('DOCKER_HOST at a web server is "not a Docker engine", not its HTML', async () => {
    const r = await cli(['status'], { DOCKER_HOST: 'tcp://127.0.0.1:18080' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /tcp:\/\/127\.0\.0\.1:18080 answered HTTP 404, but is not a Docker engine/,
    );
    expect(r.stderr).not.toMatch(/<HTML>/i);
  });

  it('the filter re:( says it is not a regex', async () => {
    const tui = (cases.tui = await new Tui().start([]));
    await tui.keys(['/']);
    await tui.keys(['re:('], { literal: true });
    await tui.waitScreen(/\/re:\( +not a regex \(Invalid regular expression/);
    await tui.keys(['Enter']);
    await tui.waitScreen(/filter "re:\(" is not a regex \(.*\): showing all/);
  });

  it('at 40×10 the console says it is too small and fault keys act on nothing', async () => {
    const w = await worker('vm');
    const tui = (cases.tui = await new Tui().start(
      ['--yes', ...NODES],
      { columns: 40, rows: 10 },
      {
        waitLive: false,
      },
    ));
    await tui.waitScreen(/terminal 40×10 is too small/);
    await tui.keys(['G', 'Enter', 'p', 'Enter']);
    await tui.keys(['x', 'Enter']);
    await tui.waitScreen(/active faults: 0/);
    expect(await tui.screen()).not.toMatch(/PAUSE|KILL/);
    expect(await isPaused(w)).toBe(false);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
  });

  it('docker kill of a target with a CPU fault: the console says the target died, not "undone"', async () => {
    const api = await targetOf('lab_api');
    const host = api.nodeName === 'labw1' ? LABW1 : undefined;
    const tui = (cases.tui = await new Tui().start(['--yes', ...NODES]));
    await limitApiCpu(tui, { ...api, host });
    await tui.waitScreen(/Active faults 1/);
    await docker(['kill', api.containerId], host);
    await tui.waitScreen(
      new RegExp(
        `${api.slotName.replace('.', '\\.')}: its task (failed|shutdown|complete); its cpu fault ended with it`,
      ),
      30_000,
    );
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(stderrOf(tui)).not.toMatch(/undone: CPU/);
    await waitLabConverged();
  });

  it('a pause is aged from the pause, not from the container start', async () => {
    const w = await worker('vm');
    const tui = (cases.tui = await new Tui().start(['--yes', ...NODES]));
    await pauseWorker(tui, w);
    await tui.waitScreen(/paused for \d+s · up \d+[smhd]/);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
  });

  it('after SIGKILL, a restart and "n" to the offer, quitting reminds that the faults are still active', async () => {
    const w = await worker('vm');
    const first = (cases.tui = await new Tui().start(['--yes', ...NODES]));
    await pauseWorker(first, w);
    process.kill(first.pid, 'SIGKILL');
    await first.waitExit();
    await first.stop();
    const again = (cases.tui = await new Tui(first.stateHome).start(NODES));
    await again.waitScreen(/still active/);
    await again.keys(['n']);
    await again.waitScreen(/left 1 earlier fault\(s\) active/);
    await again.keys(['q']);
    expect(await again.waitExit()).toBe(0);
    expect(stderrOf(again)).toMatch(
      /STILL ACTIVE from a chaosdeck that stopped: pause on lab_worker\.vm .* chaosdeck restore undoes it/,
    );
    expect(await isPaused(w)).toBe(true);
    const r = await cli(['restore', ...NODES], { XDG_STATE_HOME: again.stateHome });
    expect(r.exitCode).toBe(0);
    expect(await isPaused(w)).toBe(false);
  });

  it('a damaged ledger is refused and forgets nothing; restore --from a repaired copy undoes', async () => {
    const w = await worker('vm');
    const tui = (cases.tui = await new Tui().start(['--yes', ...NODES]));
    await pauseWorker(tui, w);
    process.kill(tui.pid, 'SIGKILL');
    await tui.waitExit();
    const ledger = join(tui.stateHome, 'chaosdeck', 'ledger.json');
    const copy = join(tui.stateHome, 'repaired.json');
    renameSync(ledger, copy);
    writeFileSync(ledger, '{"faults":"x"}');
    const env = { XDG_STATE_HOME: tui.stateHome };
    const refused = await cli(['restore', ...NODES], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/ledger\.json is not a chaosdeck ledger .*restore --from FILE/);
    expect(await isPaused(w)).toBe(true);
    const r = await cli(['restore', '--from', copy, ...NODES], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/undone: pause on lab_worker\.vm/);
    expect(await isPaused(w)).toBe(false);
    expect((await cli(['status', '--from', copy])).stderr).toMatch(
      /--from FILE is for chaosdeck restore/,
    );
  });
});
