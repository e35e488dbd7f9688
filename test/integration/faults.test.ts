import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChaosController } from '../../source/chaos/controller.js';
import type { Ledger } from '../../source/chaos/ledger.js';
import type { DockerEngine } from '../../source/docker/client.js';
import { LABW1, inspectContainer, labChaos, targetOf } from '../helpers/chaos-lab.js';
import {
  connectLab,
  describeLab,
  docker,
  waitFor,
  waitLabConverged,
  createService,
} from '../helpers/lab.js';

describeLab('faults on the lab swarm, checked with what Docker reports', () => {
  let engine: DockerEngine;
  let chaos: ChaosController;
  let ledger: Ledger;

  beforeAll(async () => {
    engine = await connectLab();
    await waitLabConverged();
    ({ chaos, ledger } = await labChaos(engine));
  });
  afterAll(async () => {
    await chaos?.undoAll();
    await docker(['service', 'rm', 'chaostest_stubborn']).catch(() => undefined);
    await waitLabConverged(180_000);
  });

  it('kill with SIGKILL: the task fails with exit 137 and a replacement runs', async () => {
    const target = await targetOf('lab_web');
    await chaos.run({ kind: 'kill', target, params: { signal: 'SIGKILL' } });
    await waitFor(
      'the task to be failed with 137',
      async () =>
        (await docker([
          'inspect',
          '--format',
          '{{.Status.State}} {{.Status.ContainerStatus.ExitCode}}',
          target.taskId,
        ])) === 'failed 137',
      15_000,
    );
    const replacement = await waitFor(
      'a replacement running',
      async () => {
        const t = await targetOf('lab_web').catch(() => undefined);
        return t && t.taskId !== target.taskId ? t : undefined;
      },
      30_000,
      250,
    );
    expect(replacement.slotName).toBe(target.slotName);
    expect(ledger.list()).toEqual([]);
  });

  it('kill with SIGTERM reaches the process: lab_worker traps it and exits 0', async () => {
    const target = await targetOf('lab_worker', 'vm');
    await chaos.run({ kind: 'kill', target, params: { signal: 'SIGTERM' } });
    await waitFor(
      'exit 0 after the trap',
      async () =>
        (await inspectContainer(target.containerId, '{{.State.Running}} {{.State.ExitCode}}')) ===
        'false 0',
      15_000,
    );
    await waitLabConverged();
  });

  it('stop waits the grace, then the container exits (SIGKILL for a process that ignores SIGTERM)', async () => {
    await createService(
      'chaostest_stubborn',
      ['--constraint', 'node.labels.chaosdeck.lab==manager'],
      ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'],
    );
    const target = await targetOf('chaostest_stubborn');
    const started = Date.now();
    await chaos.run({ kind: 'stop', target, params: { grace: '3' } });
    const [running, exitCode, finishedAt] = (
      await inspectContainer(
        target.containerId,
        '{{.State.Running}} {{.State.ExitCode}} {{.State.FinishedAt}}',
      )
    ).split(' ');
    expect(running).toBe('false');
    expect(exitCode).toBe('137');
    expect(Date.parse(finishedAt!) - started).toBeGreaterThanOrEqual(2900);
  });

  it('pause for a window: State.Paused true, then false when the window ends', async () => {
    const target = await targetOf('lab_db');
    const record = await chaos.run({ kind: 'pause', target, params: { duration: '3s' } });
    expect(await inspectContainer(target.containerId, '{{.State.Paused}}')).toBe('true');
    expect(ledger.list().map((r) => r.id)).toEqual([record!.id]);
    await waitFor(
      'unpaused after the window',
      async () => (await inspectContainer(target.containerId, '{{.State.Paused}}')) === 'false',
      10_000,
      100,
    );
    expect(Date.now() - record!.appliedAt).toBeGreaterThanOrEqual(3000);
    await waitFor('the ledger to empty', () => ledger.list().length === 0, 5000);
  });

  it('CPU in place: HostConfig shows the new limit, then exactly the old one', async () => {
    const target = await targetOf('lab_api');
    const format = '{{.HostConfig.NanoCpus}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}}';
    const before = await inspectContainer(target.containerId, format);
    expect(before).toBe('500000000 0 0');
    const record = await chaos.run({
      kind: 'cpu',
      target,
      params: { cpus: '0.2', scope: 'container' },
    });
    expect(await inspectContainer(target.containerId, format)).toBe('200000000 0 0');
    await chaos.undo(record!.id);
    expect(await inspectContainer(target.containerId, format)).toBe(before);
  });

  it('memory in place: HostConfig shows 50m without swap, then exactly the old limits', async () => {
    const target = await targetOf('lab_api');
    const format = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}';
    const before = await inspectContainer(target.containerId, format);
    expect(before).toBe(`${128 * 1024 ** 2} ${256 * 1024 ** 2}`);
    const record = await chaos.run({
      kind: 'memory',
      target,
      params: { limit: '50m', scope: 'container' },
    });
    expect(await inspectContainer(target.containerId, format)).toBe(
      `${50 * 1024 ** 2} ${50 * 1024 ** 2}`,
    );
    await chaos.undo(record!.id);
    expect(await inspectContainer(target.containerId, format)).toBe(before);
  });

  it('refuses bad limits with a message and changes nothing', async () => {
    const target = await targetOf('lab_api');
    const format = '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}';
    const before = await inspectContainer(target.containerId, format);
    for (const [kind, params, message] of [
      ['cpu', { cpus: '0', scope: 'container' }, /at least 0.01/],
      ['cpu', { cpus: '-1', scope: 'container' }, /not a CPU limit/],
      ['cpu', { cpus: '64', scope: 'container' }, /more than the node/],
      ['memory', { limit: 'abc', scope: 'container' }, /is not a memory limit: give one like 50m/],
      ['memory', { limit: '100000g', scope: 'container' }, /more than the node/],
      ['memory', { limit: '10k', scope: 'container' }, /at least 6m/],
      ['pause', { duration: 'abc' }, /not a duration/],
    ] as const) {
      await expect(chaos.run({ kind, target, params })).rejects.toThrow(message);
    }
    expect(await inspectContainer(target.containerId, format)).toBe(before);
    expect(ledger.list()).toEqual([]);
  });

  it('a container without a CPU limit: in place is refused, service scope restores the spec exactly', async () => {
    const target = await targetOf('lab_web');
    await expect(
      chaos.run({ kind: 'cpu', target, params: { cpus: '0.2', scope: 'container' } }),
    ).rejects.toThrow(/no CPU limit/);
    const spec = '{{json .Spec.TaskTemplate.Resources.Limits}}';
    const before = await docker(['service', 'inspect', '--format', spec, 'lab_web']);
    const record = await chaos.run({
      kind: 'cpu',
      target,
      params: { cpus: '0.2', scope: 'service' },
    });
    expect(JSON.parse(await docker(['service', 'inspect', '--format', spec, 'lab_web']))).toEqual({
      NanoCPUs: 200_000_000,
    });
    await chaos.undo(record!.id);
    expect(await docker(['service', 'inspect', '--format', spec, 'lab_web'])).toBe(before);
    await waitLabConverged();
  });

  it('pause of an exited container is refused; a vanished container is reported', async () => {
    const target = await targetOf('lab_db');
    await expect(
      chaos.run({ kind: 'pause', target: { ...target, containerId: 'f'.repeat(64) }, params: {} }),
    ).rejects.toThrow(/is gone/);
  });

  it('drain: the node is drained, then back to what it was', async () => {
    const target = await targetOf('lab_worker', 'labw1');
    expect(await docker(['node', 'inspect', '--format', '{{.Spec.Availability}}', 'labw1'])).toBe(
      'active',
    );
    const record = await chaos.run({ kind: 'drain', target, params: {} });
    expect(await docker(['node', 'inspect', '--format', '{{.Spec.Availability}}', 'labw1'])).toBe(
      'drain',
    );
    await chaos.undo(record!.id);
    expect(await docker(['node', 'inspect', '--format', '{{.Spec.Availability}}', 'labw1'])).toBe(
      'active',
    );
    await waitLabConverged();
  });

  it('a task on the lab worker, through --node: paused on that node and unpaused', async () => {
    const target = await targetOf('lab_worker', 'labw1');
    const record = await chaos.run({ kind: 'pause', target, params: {} });
    expect(await inspectContainer(target.containerId, '{{.State.Paused}}', LABW1)).toBe('true');
    await chaos.undo(record!.id);
    expect(await inspectContainer(target.containerId, '{{.State.Paused}}', LABW1)).toBe('false');
  });
});
