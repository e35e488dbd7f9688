import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { Script } from '../helpers/commands.js';
import { describeLab, docker, waitFor } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { selectApiTask, sidecarsOf } from '../helpers/undo-lab.js';

/** The container's CPU as `docker stats` shows it, in % of one CPU. */
async function cpuPercent(containerId: string): Promise<number> {
  const out = await docker(['stats', '--no-stream', '--format', '{{.CPUPerc}}', containerId]);
  return Number(out.replace('%', ''));
}

/** lab_api's CPU limit (0.5) reached: docker stats shows at least 45 %. */
async function atLimit(containerId: string): Promise<boolean> {
  return (await cpuPercent(containerId)) >= 45;
}

describeLab('the stress fault: a noisy neighbour inside the task’s own limits', () => {
  consoleCases();

  it('b on a lab_api task: docker stats shows its CPU at its 0.5 limit, its limits untouched; u removes the burner', async () => {
    const api = await targetOf('lab_api');
    const tui = new Tui();
    await tui.start(['--yes']);
    try {
      await selectApiTask(tui, api);
      await tui.keys(['b']);
      await tui.waitScreen(/STRESS lab_api[\s\S]*CPU workers/);
      await tui.keys(['Enter']);
      await tui.waitScreen(/Active faults 1[\s\S]*stress: 1 CPU worker in its limits for 30s/);
      expect(await sidecarsOf(api.containerId)).toHaveLength(1);
      await waitFor('the CPU at its limit', () => atLimit(api.containerId), 15_000);
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe('500000000');
      await tui.keys(['u']);
      await waitFor(
        'the burner gone',
        async () => (await sidecarsOf(api.containerId)).length === 0,
      );
      await waitFor('the CPU back', async () => (await cpuPercent(api.containerId)) < 10, 15_000);
    } finally {
      await tui.stop();
    }
  });

  it('chaosdeck stress --for 5s --vm-bytes 32m: at its limit during the window, nothing left after', async () => {
    const api = await targetOf('lab_api');
    const day = new Script();
    const run = day.start(['stress', api.slotName, '--for', '5s', '--vm-bytes', '32m', '--json']);
    await waitFor('the CPU at its limit', () => atLimit(api.containerId), 15_000);
    const mem = await docker([
      'stats',
      '--no-stream',
      '--format',
      '{{.MemUsage}}',
      api.containerId,
    ]);
    expect(Number(/^([\d.]+)MiB/.exec(mem)?.[1] ?? 0)).toBeGreaterThanOrEqual(32);
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      runs: { fault: { description: string } }[];
    };
    expect(doc.kind).toBe('stress');
    expect(doc.runs[0]!.fault.description).toBe(
      'stress: 1 CPU worker + 32.0 MiB in its limits for 5s',
    );
    expect(await sidecarsOf(api.containerId)).toEqual([]);
  });

  it('an experiment with the stress action: held for its duration, the burner gone after', async () => {
    const api = await targetOf('lab_api');
    const day = new Script();
    const file = join(day.stateHome, 'stress.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: 'lab_api under a noisy neighbour',
        description: 'stress on one lab_api task for 4 s',
        method: [
          {
            type: 'action',
            name: 'noisy-neighbour',
            provider: {
              type: 'chaosdeck',
              action: 'stress',
              target: api.slotName,
              duration: 4,
              arguments: { workers: 2 },
            },
          },
        ],
      }),
    );
    const run = day.run(['run', file]);
    await waitFor(
      'the burner',
      async () => (await sidecarsOf(api.containerId)).length === 1,
      20_000,
    );
    const r = await run;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/stress: 2 CPU workers in its limits/);
    expect(await sidecarsOf(api.containerId)).toEqual([]);
  });

  it('the console is SIGKILLed during a 6 s window: the burner ends itself on time; restore finds nothing left', async () => {
    const api = await targetOf('lab_api');
    const tui = new Tui();
    await tui.start(['--yes']);
    try {
      await selectApiTask(tui, api);
      await tui.keys([':']);
      await tui.keys(['stress 1 6s'], { literal: true });
      await tui.keys(['Enter']);
      await tui.waitScreen(/STRESS lab_api/);
      await tui.keys(['Enter']);
      await waitFor('the burner', async () => (await sidecarsOf(api.containerId)).length === 1);
      const applied = performance.now();
      process.kill(tui.pid, 'SIGKILL');
      await tui.waitExit();
      await waitFor(
        'the burner to end itself',
        async () => (await sidecarsOf(api.containerId)).length === 0,
        12_000,
      );
      expect(performance.now() - applied).toBeLessThan(9_000);
      const r = await execa('node', ['dist/cli.js', 'restore'], {
        env: { XDG_STATE_HOME: tui.stateHome },
        reject: false,
      });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      // Whoever comes first ends the record: restore's undo, or the fault's watchdog in the
      // swarm (then restore says the cluster undid it). Either way it is named, and nothing is left.
      expect(r.stdout + r.stderr).toMatch(
        /undone: stress|undone by the cluster while no chaosdeck ran here: stress/,
      );
      const again = await execa('node', ['dist/cli.js', 'restore'], {
        env: { XDG_STATE_HOME: tui.stateHome },
        reject: false,
      });
      expect(again.stdout).toMatch(/nothing to restore/);
    } finally {
      await tui.stop();
    }
  });
});
