import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LABW1 } from '../helpers/chaos-lab.js';
import { engineProxy } from '../helpers/engine-proxy.js';
import { createService, describeLab, docker, waitFor } from '../helpers/lab.js';
import { consoleCases, openServiceTasks, Tui, typeCommand } from '../helpers/tui.js';
import { isPaused, pauseWorker, selectWorker, stderrOf, worker } from '../helpers/undo-lab.js';

// Issue 27's cases: each as a user meets it, checked against what Docker reports.
// Sorts before the lab's services, so G still selects lab_worker in the console.
const SERVICE = `a27_${process.pid}`;
const ON_MANAGER = ['--constraint', 'node.role==manager'];

function cli(args: string[], stateHome: string, timeout = 60_000) {
  return execa('node', ['dist/cli.js', ...args], {
    reject: false,
    timeout,
    env: { XDG_STATE_HOME: stateHome, CI: 'true' },
  });
}

async function containerOf(slot: number): Promise<string> {
  // A task's container is named SERVICE.SLOT.TASK-ID (docker's name filter matches a part).
  return waitFor(`${SERVICE}.${slot} running`, async () => {
    const ids = await docker(['ps', '-q', '--filter', `name=^${SERVICE}\\.${slot}\\.`]);
    return ids.split('\n')[0] || undefined;
  });
}

const paused = async (id: string) =>
  (await docker(['inspect', '-f', '{{.State.Paused}}', id])) === 'true';

/** A tmpfs state home of 64 KiB with `freeKiB` left free. */
async function fullStateHome(freeKiB: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-full-'));
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
  mounts.push(dir);
  const avail = Number((await execa('df', ['-B1', '--output=avail', dir])).stdout.split('\n')[1]);
  const fill = Math.floor((avail - freeKiB * 1024) / 1024);
  await execa('dd', ['if=/dev/zero', `of=${dir}/fill`, 'bs=1024', `count=${fill}`]);
  return dir;
}
const mounts: string[] = [];

describeLab('the promise under stress (issue 27)', () => {
  const cases = consoleCases();

  beforeAll(async () => {
    await createService(
      SERVICE,
      ['--replicas', '3', '--limit-cpu', '0.5', '--stop-grace-period', '2s', ...ON_MANAGER],
      ['sleep', '1000000'],
    );
    for (const slot of [1, 2, 3]) await containerOf(slot);
  });

  afterAll(async () => {
    await docker(['service', 'rm', SERVICE]).catch(() => undefined);
    for (const dir of mounts) await execa('umount', [dir], { reject: false });
  });

  it('a state disk without room for the undo record refuses the fault and changes nothing', async () => {
    const state = await fullStateHome(8);
    const id = await containerOf(1);
    const r = await cli(['pause', `${SERVICE}.1`, '--for', '5s'], state);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/no room on the state disk for the fault's undo record/);
    expect(await paused(id)).toBe(false);
    const ledger = join(state, 'chaosdeck', 'ledger.json');
    if (existsSync(ledger)) expect(JSON.parse(readFileSync(ledger, 'utf8')).faults).toEqual([]);
  });

  it('with just enough room the window is applied and ends on time, the ledger empty after', async () => {
    const state = await fullStateHome(20);
    const id = await containerOf(2);
    const run = cli(['pause', `${SERVICE}.2`, '--for', '3s'], state);
    await waitFor('the pause', () => paused(id));
    const r = await run;
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.exitCode).toBe(0);
    expect(await paused(id)).toBe(false);
    const ledger = JSON.parse(readFileSync(join(state, 'chaosdeck', 'ledger.json'), 'utf8'));
    expect(ledger.faults).toEqual([]);
  });

  it('pasted colour codes and unknown keys are ignored in every input mode', async () => {
    const tui = (cases.tui = await new Tui().start(['--yes']));
    const junk = ['\u001b[31m', '\u001b[0m', '\u001b[1;5P', '\u001b[200~', '\u001b[201~'];
    await tui.keys(junk, { literal: true });
    await tui.keys([':']);
    await tui.keys(['\u001b[31mred\u001b[0m'], { literal: true });
    await tui.waitScreen(/^:red /m);
    await tui.keys(['Escape', '/']);
    await tui.keys(['\u001b[31m', 'lab'], { literal: true });
    await tui.waitScreen(/^\/lab /m);
    await tui.keys(['Escape', 'N']);
    await tui.keys(['\u001b[1;5P', '\u001b[0m'], { literal: true });
    await tui.keys(['Escape']);
    await tui.waitScreen(/● live/);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(readFileSync(join(tui.stateHome, 'stderr'), 'utf8')).not.toMatch(/crashed/);
  });

  it('a hung engine: the header says so within seconds, quit ends within 15 s naming what is left', async () => {
    const proxy = await engineProxy();
    try {
      const w = await worker('vm');
      const tui = (cases.tui = await new Tui().start(['--yes', ...proxy.host]));
      await pauseWorker(tui, w);
      await proxy.hang();
      const stoppedAt = Date.now();
      await tui.waitScreen(/⟳ reconnecting .*: no answer in 3 s/, 12_000);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      const quitAt = Date.now();
      await tui.keys(['q']);
      expect(await tui.waitExit(25_000)).toBe(1);
      expect(Date.now() - quitAt).toBeLessThan(18_000);
      const said = stderrOf(tui);
      expect(said).toMatch(
        /undo did not finish in 15 s .*1 fault\(s\) may still be active, kept in/,
      );
      expect(said).toMatch(/pause on lab_worker\.vm/);
      expect(said).toMatch(/chaosdeck restore undoes them/);
      expect(await isPaused(w)).toBe(true);
      await proxy.resume();
      const r = await cli(['restore', ...proxy.host], tui.stateHome);
      expect(r.exitCode).toBe(0);
      expect(await isPaused(w)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('the last-replica guard counts paused replicas as down, from the ledger and from Docker', async () => {
    const state = mkdtempSync(join(tmpdir(), 'chaosdeck-guard-'));
    const [c1, c2, c3] = [await containerOf(1), await containerOf(2), await containerOf(3)];
    try {
      expect((await cli(['pause', `${SERVICE}.1`, '--yes'], state)).exitCode).toBe(0);
      // Paused by hand, outside chaosdeck: Docker's word counts too.
      await docker(['pause', c2]);
      const r = await cli(['pause', `${SERVICE}.3`, '--yes'], state);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `last serving replica of ${SERVICE} \\(${SERVICE}\\.[12] paused, ${SERVICE}\\.[12] paused\\); pass --yes --force-last`,
        ),
      );
      expect(await paused(c3)).toBe(false);
      const forced = await cli(
        ['pause', `${SERVICE}.3`, '--yes', '--force-last', '--for', '1s'],
        state,
      );
      expect(forced.exitCode).toBe(0);
      expect(await paused(c3)).toBe(false);
    } finally {
      await cli(['undo'], state);
      await docker(['unpause', c2]).catch(() => undefined);
    }
    expect(await paused(c1)).toBe(false);
  });

  it('a fault whose task Swarm scaled away leaves the faults bar and the ledger, said in the journal', async () => {
    const c3 = await containerOf(3);
    const tui = (cases.tui = await new Tui().start(['--yes']));
    try {
      await openServiceTasks(tui, SERVICE);
      await tui.select(new RegExp(`^› ${SERVICE}\\.3 `));
      await typeCommand(tui, 'cpu 0.2');
      await waitFor(
        'the CPU limit',
        async () =>
          (await docker(['inspect', '-f', '{{.HostConfig.NanoCpus}}', c3])) === '200000000',
      );
      await tui.waitScreen(/Active faults 1/);
      await docker(['service', 'scale', '--detach', `${SERVICE}=1`]);
      await tui.waitScreen(
        new RegExp(`${SERVICE}\\.3: Swarm removed its task .*its cpu fault ended with it`),
        40_000,
      );
      await waitFor('no faults bar', async () => !/Active faults/.test(await tui.screen()), 10_000);
      const ledger = join(tui.stateHome, 'chaosdeck', 'ledger.json');
      expect(JSON.parse(readFileSync(ledger, 'utf8')).faults).toEqual([]);
      await tui.keys(['q']);
      expect(await tui.waitExit()).toBe(0);
      const journalDir = join(tui.stateHome, 'chaosdeck', 'journal');
      const journal = readFileSync(
        join(
          journalDir,
          readdirSync(journalDir).find((f) => f.endsWith('.jsonl'))!,
        ),
        'utf8',
      );
      expect(journal).toMatch(/"type":"fault-undone".*"why":"Swarm removed its task/);
    } finally {
      await docker(['service', 'scale', '--detach', `${SERVICE}=3`]);
      for (const slot of [1, 2, 3]) await containerOf(slot);
    }
  });

  it('a window that ends while the manager is out of reach is undone once it is back', async () => {
    const proxy = await engineProxy();
    try {
      const w = await worker('vm');
      const tui = (cases.tui = await new Tui().start(['--yes', ...proxy.host]));
      await selectWorker(tui, 'vm');
      await typeCommand(tui, 'pause 8s');
      await waitFor('the pause', () => isPaused(w));
      const pausedAt = Date.now();
      // The manager goes away (refused, not hung) before the window ends, and comes back later.
      await proxy.cut();
      await tui.waitScreen(/trying again in \d+ s/, 15_000);
      expect(await isPaused(w)).toBe(true);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, pausedAt + 15_000 - Date.now())),
      );
      await proxy.start();
      await waitFor('the retried undo', async () => !(await isPaused(w)), 40_000, 250);
      await tui.waitScreen(/● live/, 15_000);
      // Docker says unpaused a moment before the undo has cleared the ledger and the bar.
      await waitFor('no faults bar', async () => !/Active faults/.test(await tui.screen()), 10_000);
      await tui.keys(['q']);
      expect(await tui.waitExit()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('restore names the pid that applied a fault, what to mend, and no stale error once it worked', async () => {
    const state = mkdtempSync(join(tmpdir(), 'chaosdeck-restore-'));
    const w = await worker('labw1');
    const node = ['--node', `labw1=${LABW1}`];
    const applied = await cli(['pause', 'lab_worker.labw1', '--yes', ...node], state);
    expect(applied.exitCode).toBe(0);
    const ledger = join(state, 'chaosdeck', 'ledger.json');
    const pid = JSON.parse(readFileSync(ledger, 'utf8')).faults[0].pid as number;
    try {
      const without = await cli(['restore'], state);
      expect(without.exitCode).toBe(1);
      expect(without.stdout + without.stderr).toMatch(
        /UNDO FAILED, still active: pause on lab_worker\.labw1 .*give --node labw1=.* — mend what the error names, then run restore again/,
      );
      expect(await isPaused(w)).toBe(true);
      const withNode = await cli(['restore', ...node], state);
      expect(withNode.exitCode).toBe(0);
      const said = withNode.stdout + withNode.stderr;
      expect(said).toMatch(
        new RegExp(`undone: pause on lab_worker\\.labw1 .* by pid ${pid}$`, 'm'),
      );
      expect(said).not.toMatch(/undo failed/);
      expect(await isPaused(w)).toBe(false);
    } finally {
      await cli(['restore', ...node], state);
    }
  });

  it('kill --probe and its report put the same samples in "during": from the kill to convergence', async () => {
    const state = mkdtempSync(join(tmpdir(), 'chaosdeck-during-'));
    const journal = join(state, 'day.jsonl');
    const args = ['--probe', 'web=http://127.0.0.1:18080/', '--probe-interval', '300ms'];
    const r = await cli(
      ['kill', `${SERVICE}.1`, '--wait-recovery', '--json', '--journal', journal, ...args],
      state,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { latency: { during: { count: number } }[] };
    const during = doc.latency[0]!.during.count;
    expect(during).toBeGreaterThan(0);
    const report = await cli(['report', journal], state);
    expect(report.stdout).toContain(`| during | ${during} |`);
  });

  it("stop's recovery names its cause as kill's does", async () => {
    const state = mkdtempSync(join(tmpdir(), 'chaosdeck-stop-'));
    const r = await cli(['stop', `${SERVICE}.2`, '--grace', '1', '--wait-recovery'], state);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `recovery ${SERVICE}\\.2: .*converged .*\\(stopped by chaosdeck \\(docker stop\\)\\)`,
      ),
    );
  });

  it("status shows Docker's starting while the first probe is pending, not '?'", async () => {
    const name = `a27h_${process.pid}`;
    await createService(
      name,
      [
        '--health-cmd',
        'true',
        '--health-interval',
        '60s',
        '--health-start-period',
        '60s',
        ...ON_MANAGER,
      ],
      ['sleep', '1000000'],
    );
    try {
      const state = mkdtempSync(join(tmpdir(), 'chaosdeck-health-'));
      const row = await waitFor(`${name}.1 starting`, async () => {
        const r = await cli(['status', '--service', name, '--json'], state);
        const doc = JSON.parse(r.stdout) as {
          services: { tasks: { state: string; health: string }[] }[];
        };
        return doc.services[0]?.tasks.find((t) => t.state === 'starting');
      });
      const docker_ = await docker([
        'inspect',
        '-f',
        '{{.State.Health.Status}}',
        await waitFor(
          'its container',
          async () => (await docker(['ps', '-q', '--filter', `name=^${name}\\.1\\.`])) || undefined,
        ),
      ]);
      expect(docker_).toBe('starting');
      expect(row.health).toBe('starting');
    } finally {
      await docker(['service', 'rm', name]).catch(() => undefined);
    }
  });
});
