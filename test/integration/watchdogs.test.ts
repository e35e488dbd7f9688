import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { Script } from '../helpers/commands.js';
import { engineProxy } from '../helpers/engine-proxy.js';
import { chaosdeckInSwarm } from '../helpers/swarm-objects.js';
import { createService, describeLab, docker, waitFor } from '../helpers/lab.js';
import { isPaused, ledgerOf, selectApiTask, worker } from '../helpers/undo-lab.js';
import { consoleCases, Tui, typeCommand } from '../helpers/tui.js';

/** The watchdog services and fault records in the swarm (docker service ls, docker config ls). */
async function leftInSwarm(): Promise<string[]> {
  const { records, watchdogs } = await chaosdeckInSwarm();
  return [...watchdogs, ...records];
}

/** When `changed` first says yes (ms since the epoch), polled every 200 ms up to `timeoutMs`. */
async function whenChanged(what: string, changed: () => Promise<boolean>, timeoutMs: number) {
  await waitFor(what, changed, timeoutMs, 200);
  return Date.now();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeLab('faults end on time without chaosdeck: the cluster holds the clock (issue 29)', () => {
  consoleCases();
  const helperImage = process.env.CHAOSDECK_HELPER_IMAGE;
  beforeAll(() => {
    // The watchdogs reach worker nodes through helpers: the lab's offline image, not docker:cli.
    process.env.CHAOSDECK_HELPER_IMAGE = 'demo/swarm-helper:local';
  });
  afterAll(() => {
    if (helperImage === undefined) delete process.env.CHAOSDECK_HELPER_IMAGE;
    else process.env.CHAOSDECK_HELPER_IMAGE = helperImage;
  });

  it('console A pauses a task for 20 s and is SIGKILLed 2 s later: unpaused on time, nothing left', async () => {
    const api = await targetOf('lab_api');
    const a = new Tui();
    await a.start(['--yes']);
    try {
      await selectApiTask(a, api);
      await typeCommand(a, 'pause 20s');
      const pausedAt = await whenChanged('the pause', () => isPaused(api), 15_000);
      await pause(2000);
      process.kill(a.pid, 'SIGKILL');
      await a.waitExit();
      const unpausedAt = await whenChanged(
        'the unpause, with A gone',
        async () => !(await isPaused(api)),
        40_000,
      );
      expect(unpausedAt - pausedAt).toBeGreaterThan(18_000);
      expect(unpausedAt - pausedAt).toBeLessThan(22_000);
      await waitFor(
        'no watchdog, no record',
        async () => (await leftInSwarm()).length === 0,
        10_000,
      );
    } finally {
      await a.stop();
      await new Script().run(['undo', api.slotName, '--force'], { journal: false });
    }
  });

  it('windows of CPU, service memory and drain end on time with their command SIGKILLed; the specs come back exactly', async () => {
    const api = await targetOf('lab_api');
    const name = `wd_mem_${process.pid}`;
    // On the manager: the drain of labw1 beside it must not move this task while it is resolved.
    await createService(
      name,
      ['--replicas', '1', '--limit-memory', '96m', '--constraint', 'node.role==manager'],
      ['sleep', '1d'],
    );
    const resources = () =>
      docker(['service', 'inspect', '-f', '{{json .Spec.TaskTemplate.Resources}}', name]);
    const availability = () => docker(['node', 'inspect', '-f', '{{.Spec.Availability}}', 'labw1']);
    try {
      await waitFor(
        'its task',
        async () => (await targetOf(name).catch(() => undefined)) !== undefined,
        60_000,
      );
      const specBefore = await resources();
      const day = new Script();
      const runs = [
        day.start(['cpu', api.slotName, '--cpus', '0.2', '--for', '12s', '--yes']),
        day.start([
          'memory',
          `${name}.1`,
          '--memory',
          '64m',
          '--scope',
          'service',
          '--for',
          '12s',
          '--yes',
        ]),
        day.start(['drain', 'lab_worker.labw1', '--for', '12s', '--yes']),
      ];
      const cpuAt = await whenChanged(
        'the CPU limit',
        async () =>
          (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')) === '200000000',
        20_000,
      );
      await waitFor(
        'the service limit',
        async () => (await resources()) !== specBefore,
        20_000,
      ).catch(async (error: Error) => {
        // What the memory command said, for a failure to be read.
        runs[1]!.kill('SIGTERM');
        const r = await runs[1]!;
        throw new Error(`${error.message}; memory said: ${r.stderr || r.stdout}`);
      });
      await waitFor('the drain', async () => (await availability()) === 'drain', 20_000);
      const appliedAt = Date.now();
      await pause(2000);
      for (const run of runs) run.kill('SIGKILL');
      await Promise.all(runs);
      const cpuBack = await whenChanged(
        'the CPU limit back',
        async () =>
          (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')) === '500000000',
        30_000,
      );
      const memBack = await whenChanged(
        'the spec back',
        async () => (await resources()) === specBefore,
        30_000,
      );
      const drainBack = await whenChanged(
        'active again',
        async () => (await availability()) === 'active',
        30_000,
      );
      expect(cpuBack - cpuAt).toBeGreaterThan(10_000);
      expect(cpuBack - cpuAt).toBeLessThan(14_000);
      // Each applied within the seconds before appliedAt: its window ends within 12 s ± 2 of it.
      for (const back of [memBack, drainBack]) expect(back - appliedAt).toBeLessThan(14_000);
      expect(await resources()).toBe(specBefore);
      await waitFor(
        'no watchdog, no record',
        async () => (await leftInSwarm()).length === 0,
        10_000,
      );
    } finally {
      await docker(['service', 'rm', name]).catch(() => undefined);
      await docker(['node', 'update', '--availability', 'active', 'labw1']).catch(() => undefined);
      await new Script().run(['undo', api.slotName, '--force'], { journal: false });
    }
  });

  it('an untimed pause of a console SIGKILLed: undone by the cluster within the grace + 10 s', async () => {
    const api = await targetOf('lab_api');
    const a = new Tui();
    await a.start(['--yes', '--holder-grace', '15s']);
    try {
      await selectApiTask(a, api);
      await a.keys(['p']);
      await a.waitScreen(/PAUSE lab_api/);
      await a.keys(['Enter']);
      await a.waitScreen(/Active faults 1/);
      expect(await isPaused(api)).toBe(true);
      process.kill(a.pid, 'SIGKILL');
      await a.waitExit();
      const killedAt = Date.now();
      const undoneAt = await whenChanged(
        'the unpause by the cluster',
        async () => !(await isPaused(api)),
        40_000,
      );
      expect(undoneAt - killedAt).toBeLessThan(25_000);
      await waitFor(
        'no watchdog, no record',
        async () => (await leftInSwarm()).length === 0,
        10_000,
      );
    } finally {
      await a.stop();
      await new Script().run(['undo', api.slotName, '--force'], { journal: false });
    }
  });

  it('a command pause --for 15s whose manager connection dies mid-window: unpaused on time', async () => {
    const w = await worker('vm');
    const proxy = await engineProxy();
    const day = new Script();
    try {
      const run = day.start(['pause', 'lab_worker.vm', '--for', '15s', '--yes', ...proxy.host]);
      const pausedAt = await whenChanged('the pause', () => isPaused(w), 15_000);
      await pause(3000);
      await proxy.cut();
      const unpausedAt = await whenChanged(
        'the unpause through the cut',
        async () => !(await isPaused(w)),
        30_000,
      );
      expect(unpausedAt - pausedAt).toBeGreaterThan(13_000);
      expect(unpausedAt - pausedAt).toBeLessThan(17_000);
      run.kill('SIGKILL');
      await run;
      await waitFor(
        'no watchdog, no record',
        async () => (await leftInSwarm()).length === 0,
        10_000,
      );
    } finally {
      await proxy.close();
      await docker(['unpause', w.containerId]).catch(() => undefined);
    }
  });

  it('a pause a command leaves active on a worker ends after --max-hold, through a helper; the next run says so', async () => {
    const w = await worker('labw1');
    const day = new Script();
    const r = await day.run(['pause', 'lab_worker.labw1', '--yes', '--max-hold', '10s']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /still active: chaosdeck undo \w+ undoes it; the cluster undoes it 10 s after it was applied unless undone before \(--max-hold\)/,
    );
    const appliedAt = Date.now();
    expect(await isPaused(w)).toBe(true);
    const undoneAt = await whenChanged('the unpause', async () => !(await isPaused(w)), 40_000);
    expect(undoneAt - appliedAt).toBeLessThan(25_000);
    await waitFor('no watchdog, no record', async () => (await leftInSwarm()).length === 0, 10_000);
    const status = await day.run(['status', '--service', 'lab_worker'], { journal: false });
    expect(status.stderr).toMatch(
      /undone by the cluster while no chaosdeck ran here: pause on lab_worker\.labw1/,
    );
    expect(ledgerOf(day.stateHome)).toEqual([]);
  });
});
