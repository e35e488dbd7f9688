import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectContainer, LABW1, targetOf, createTalker } from '../helpers/chaos-lab.js';
import { createService, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, openServiceTasks, Tui } from '../helpers/tui.js';
import { isPaused } from '../helpers/undo-lab.js';

// The lab's worker has no --node endpoint in any of these: chaosdeck reaches it through Swarm.
// Its own service: other files hold faults on lab_worker tasks meanwhile.
const HELPERS = [
  '--helpers',
  '--helper-image',
  'demo/swarm-helper:local',
  '--tc-image',
  'demo/nettools:local',
];
const LIMITED = 'cdhelp_limited';
const NETTED = 'cdhelp_netted';
const TALK = 'cdhelp_talk';
const NETWORK = 'cdhelp_net';
const LIMITS = '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}';

describeLab('nodes without an endpoint, through helper tasks', () => {
  const cases = consoleCases(HELPERS);
  const state = mkdtempSync(join(tmpdir(), 'chaosdeck-helpers-'));
  const chaosdeck = (args: string[]) =>
    execa('node', ['dist/cli.js', ...args], {
      reject: false,
      env: { XDG_STATE_HOME: state, CI: 'true' },
      timeout: 110_000,
    });
  const helpersLeft = () => docker(['service', 'ls', '-q', '--filter', 'label=chaosdeck.helper']);
  const onWorker = (id: string) => ({ containerId: id, host: LABW1 });

  afterAll(async () => {
    await docker(['service', 'rm', LIMITED, NETTED, TALK]).catch(() => undefined);
    await docker(['network', 'rm', NETWORK]).catch(() => undefined);
  });
  beforeAll(async () => {
    await waitLabConverged();
    await docker(['service', 'rm', LIMITED]).catch(() => undefined);
    await createService(
      LIMITED,
      [
        '--replicas',
        '2',
        '--constraint',
        'node.hostname==labw1',
        '--limit-cpu',
        '0.5',
        '--limit-memory',
        '128M',
      ],
      ['sleep', '86400'],
    );
  });

  it('pause --for 3s on a task of labw1: paused on that node, then not; no helper left', async () => {
    const w = await targetOf(LIMITED, 'labw1');
    const held = chaosdeck(['pause', w.taskId, '--for', '3s', ...HELPERS]);
    await waitFor('the pause on labw1', () => isPaused(onWorker(w.containerId)), 30_000, 100);
    const r = await held;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await isPaused(onWorker(w.containerId))).toBe(false);
    expect(await helpersLeft()).toBe('');
  });

  it('CPU and memory in place: HostConfig on labw1 changes, then is exactly as before', async () => {
    const t = await targetOf(LIMITED, 'labw1');
    const before = await inspectContainer(t.containerId, LIMITS, LABW1);
    expect(before).toBe('500000000 134217728 268435456');
    for (const [kind, flag, value, during] of [
      ['cpu', '--cpus', '0.2', /^200000000 /],
      ['memory', '--memory', '50m', / 52428800 52428800$/],
    ] as const) {
      const held = chaosdeck([kind, t.taskId, flag, value, '--for', '4s', ...HELPERS]);
      await waitFor(
        `${kind} ${value} on labw1`,
        async () => during.test(await inspectContainer(t.containerId, LIMITS, LABW1)),
        30_000,
        100,
      );
      const r = await held;
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(await inspectContainer(t.containerId, LIMITS, LABW1)).toBe(before);
    }
    expect(await helpersLeft()).toBe('');
  });

  it('SIGKILL while a pause is held, then restore: the undo runs through a helper too', async () => {
    const w = await targetOf(LIMITED, 'labw1');
    const held = chaosdeck(['pause', w.taskId, '--for', '60s', ...HELPERS]);
    await waitFor('the pause on labw1', () => isPaused(onWorker(w.containerId)), 30_000, 100);
    held.kill('SIGKILL');
    await held;
    expect(await isPaused(onWorker(w.containerId))).toBe(true);
    const r = await chaosdeck(['restore', ...HELPERS]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await isPaused(onWorker(w.containerId))).toBe(false);
    expect(await helpersLeft()).toBe('');
  });

  it('an image the node does not have: one clear message, exit 1, nothing changed or left', async () => {
    const w = await targetOf(LIMITED, 'labw1');
    const r = await chaosdeck([
      'pause',
      w.taskId,
      '--for',
      '3s',
      '--helpers',
      '--helper-image',
      'chaosdeck-test/absent:1',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr + r.stdout).toMatch(
      /the helper image chaosdeck-test\/absent:1 is not on node labw1/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await isPaused(onWorker(w.containerId))).toBe(false);
    expect(await helpersLeft()).toBe('');
  });

  it('a network window on labw1: tbf in the task namespace through helpers, nothing after', async () => {
    // An overlay network gives the task an eth0 (the worker's own bridge is off in the lab).
    await docker(['service', 'rm', NETTED]).catch(() => undefined);
    await docker(['network', 'rm', NETWORK]).catch(() => undefined);
    await docker(['network', 'create', '--driver', 'overlay', NETWORK]);
    await createService(
      NETTED,
      [
        '--replicas',
        '2',
        '--constraint',
        'node.hostname==labw1',
        '--network',
        NETWORK,
        '--endpoint-mode',
        'dnsrr',
      ],
      ['sleep', '86400'],
    );
    const t = await targetOf(NETTED, 'labw1');
    const qdisc = async () => {
      const pid = await inspectContainer(t.containerId, '{{.State.Pid}}', LABW1);
      return (await execa('nsenter', ['-t', pid, '-n', 'tc', 'qdisc', 'show', 'dev', 'eth0']))
        .stdout;
    };
    expect(await qdisc()).not.toMatch(/tbf/);
    const held = chaosdeck(['net', t.taskId, '--rate', '1mbit', '--for', '4s', ...HELPERS]);
    await waitFor(
      'tbf on eth0 in the task on labw1',
      async () => /tbf/.test(await qdisc()),
      60_000,
    );
    const r = await held;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await qdisc()).not.toMatch(/tbf/);
    expect(await helpersLeft()).toBe('');
    await docker(['service', 'rm', NETTED]);
  });

  it('the console: p on a task of labw1 pauses it through a helper; SIGTERM undoes it', async () => {
    const t = await targetOf(LIMITED, 'labw1');
    const tui = (cases.tui = await new Tui().start(['--yes', ...HELPERS]));
    await openServiceTasks(tui, LIMITED);
    // Live health through a helper that follows the container: no --node needed.
    await tui.waitScreen(/Health of \w+[^\n]*\n\s+no healthcheck · running for/);
    // CPU and MEM from docker stats in a helper on labw1: the task's 128M limit is there.
    await tui.waitScreen(
      new RegExp(`${t.slotName.replace('.', '\\.')} .*[\\d.]+%\\s+[\\d.]+M/128M`),
    );
    await tui.select(new RegExp(`^› ${t.slotName.replace('.', '\\.')} `));
    await tui.keys(['p']);
    await tui.waitScreen(/PAUSE cdhelp_limited/);
    await tui.keys(['Enter']);
    await waitFor('the pause on labw1', () => isPaused(onWorker(t.containerId)), 30_000, 100);
    await tui.waitScreen(/Active faults 1/);
    process.kill(tui.pid, 'SIGTERM');
    await tui.waitExit();
    expect(await isPaused(onWorker(t.containerId))).toBe(false);
    expect(await helpersLeft()).toBe('');
  });

  it('L on a task of labw1: its lines through a helper following docker logs, removed on Esc', async () => {
    await createTalker(TALK, 'labw1');
    const tui = (cases.tui = await new Tui().start(HELPERS));
    await openServiceTasks(tui, TALK);
    await tui.keys(['L']);
    const first = await tui.waitScreen(
      /Logs of cdhelp_talk\.1[^\n]*following[\s\S]*tick (\d+)/,
      30_000,
    );
    const seen = Math.max(...[...first.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    // Following: newer lines arrive without a key.
    await tui.waitScreen(new RegExp(`tick ${seen + 5}\\b`), 10_000);
    const logsHelper = async () => {
      const ids = (await helpersLeft()).split('\n').filter(Boolean);
      if (ids.length === 0) return false;
      const commands = await docker([
        'service',
        'inspect',
        '--format',
        '{{json .Spec.TaskTemplate.ContainerSpec.Command}}',
        ...ids,
      ]).catch(() => '');
      return commands.includes('"logs","--follow"');
    };
    expect(await logsHelper()).toBe(true);
    await tui.keys(['Escape']);
    await tui.waitScreen(new RegExp(`▸ Tasks of ${TALK}`));
    // The logs helper goes with the view (the live health and usage ones stay while shown).
    await waitFor('the logs helper removed', async () => !(await logsHelper()), 15_000);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(await helpersLeft()).toBe('');
    await docker(['service', 'rm', TALK]);
  });

  it('the console says how each node is reached, and hides helper services', async () => {
    // A service with the helper label stands in for a helper caught mid-action.
    for (const [name, flags] of [
      ['cdhelp_shown', []],
      ['cdhelp_hidden', ['--label', 'chaosdeck.helper=true']],
    ] as const) {
      await docker(['service', 'rm', name]).catch(() => undefined);
      await createService(name, ['--constraint', 'node.role==manager', ...flags], ['sleep', '600']);
    }
    const tui = (cases.tui = await new Tui().start(HELPERS));
    const screen = await tui.waitScreen(/reach: vm manager · labw1 helper[\s\S]*cdhelp_shown/);
    expect(screen).not.toMatch(/cdhelp_hidden/);
    const status = await chaosdeck(['status', ...HELPERS]);
    expect(status.stdout).toMatch(/cdhelp_shown/);
    expect(status.stdout).not.toMatch(/cdhelp_hidden/);
    await docker(['service', 'rm', 'cdhelp_shown', 'cdhelp_hidden']);
  });
});
