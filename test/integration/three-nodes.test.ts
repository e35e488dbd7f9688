import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultTarget } from '../../source/domain/fault.js';
import { inspectContainer, LABW1, LABW2, targetOf } from '../helpers/chaos-lab.js';
import { createService, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, openServiceTasks, Tui, typeCommand } from '../helpers/tui.js';

// The issue's "done when": a three-node swarm, one manager session, no per-node configuration
// (no --node: each worker is reached through Swarm helper tasks), every fault on a task of each
// worker, checked with docker inspect against that worker's own engine, undone on every ending.
const HELPERS = [
  '--yes',
  '--helper-image',
  'demo/swarm-helper:local',
  '--tc-image',
  'demo/nettools:local',
];
const SPREAD = 'cd3_spread';
const NETWORK = 'cd3_net';
const WORKERS = { labw1: LABW1, labw2: LABW2 } as const;
type Worker = keyof typeof WORKERS;

type Kind = 'pause' | 'cpu' | 'memory' | 'net';
const COMMANDS: Record<Kind, string> = {
  pause: 'pause',
  cpu: 'cpu 0.2',
  memory: 'memory 64M',
  net: 'net rate 1mbit 10m',
};

/** Waits up to 60 s for Docker to say so; a timeout shows the console's screen. */
async function onScreenIfNot(tui: Tui, what: string, check: () => Promise<boolean>): Promise<void> {
  await waitFor(what, check, 60_000, 200).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await tui.screen()}`);
  });
}

describeLab('three nodes from one manager session, no --node', () => {
  // A failed case's faults are on the workers: its restore reaches them through helpers too.
  const cases = consoleCases(HELPERS);
  const targets = {} as Record<Worker, FaultTarget>;

  /** What the worker's own engine says of the fault's kind, applied (true) or not (false). */
  const held = async (kind: Kind, node: Worker): Promise<boolean> => {
    const t = targets[node];
    const host = WORKERS[node];
    if (kind === 'pause')
      return (await inspectContainer(t.containerId, '{{.State.Paused}}', host)) === 'true';
    if (kind === 'cpu')
      return (
        (await inspectContainer(t.containerId, '{{.HostConfig.NanoCpus}}', host)) === '200000000'
      );
    if (kind === 'memory')
      return (await inspectContainer(t.containerId, '{{.HostConfig.Memory}}', host)) === '67108864';
    const pid = await inspectContainer(t.containerId, '{{.State.Pid}}', host);
    const tc = await execa('nsenter', ['-t', pid, '-n', 'tc', 'qdisc', 'show', 'dev', 'eth0']);
    return /tbf/.test(tc.stdout);
  };
  const helpersLeft = () => docker(['service', 'ls', '-q', '--filter', 'label=chaosdeck.helper']);

  const refreshTargets = async () => {
    for (const node of Object.keys(WORKERS) as Worker[])
      targets[node] = await targetOf(SPREAD, node);
  };

  beforeAll(async () => {
    const nodes = await docker(['node', 'ls', '--format', '{{.Hostname}}']);
    expect(
      nodes.split('\n'),
      'the test lab has two workers (scripts/lab.sh up --workers 2)',
    ).toEqual(expect.arrayContaining(['labw1', 'labw2']));
    await waitLabConverged();
    await docker(['service', 'rm', SPREAD]).catch(() => undefined);
    await docker(['network', 'rm', NETWORK]).catch(() => undefined);
    await docker(['network', 'create', '-d', 'overlay', NETWORK]);
    // One task on each node, with limits to squeeze and a namespace with an eth0 to shape. The
    // manager's task keeps serving while both workers' tasks are paused or squeezed: the faults
    // here never take the last serving replica (that guard asks for the service's name).
    await createService(
      SPREAD,
      [
        '--mode',
        'global',
        '--network',
        NETWORK,
        '--endpoint-mode',
        'dnsrr',
        '--limit-cpu',
        '0.5',
        '--limit-memory',
        '128M',
      ],
      ['sleep', '86400'],
    );
    await refreshTargets();
  });
  afterAll(async () => {
    await docker(['service', 'rm', SPREAD]).catch(() => undefined);
    await waitFor(
      `${SPREAD}'s containers gone before its network`,
      async () =>
        (await docker(['network', 'rm', NETWORK])
          .then(() => true)
          .catch(() => false)) || undefined,
      60_000,
      500,
    ).catch(() => undefined);
  });

  /** Starts the console and applies each fault to the task of its worker by `:` commands. */
  async function applyAll(faults: [Kind, Worker][]): Promise<Tui> {
    await refreshTargets();
    const tui = (cases.tui = await new Tui().start(HELPERS));
    await tui.waitScreen(/reach: \S+ manager · labw1 helper · labw2 helper/);
    await openServiceTasks(tui, SPREAD);
    for (const [n, [kind, node]] of faults.entries()) {
      await tui.select(new RegExp(`^. ${SPREAD}\\.${node} `));
      await typeCommand(tui, COMMANDS[kind]);
      await onScreenIfNot(tui, `${kind} on ${node}, by its engine`, () => held(kind, node));
      await tui.waitScreen(new RegExp(`Active faults ${n + 1}`), 30_000);
    }
    return tui;
  }

  it('kill, then stop, on the task of each worker: its engine says it ended (SIGKILL; sleep ignores SIGTERM, killed after the grace), Swarm replaces it', async () => {
    const tui = (cases.tui = await new Tui().start(HELPERS));
    await openServiceTasks(tui, SPREAD);
    for (const command of ['kill', 'stop 1'])
      for (const node of Object.keys(WORKERS) as Worker[]) {
        const t = await targetOf(SPREAD, node);
        await tui.select(new RegExp(`^. ${SPREAD}\\.${node} `));
        await typeCommand(tui, command);
        await onScreenIfNot(tui, `${command} on ${node}: ended, by its engine`, async () => {
          const said = await inspectContainer(
            t.containerId,
            '{{.State.Running}} {{.State.ExitCode}}',
            WORKERS[node],
          ).catch((error: Error) => error.message);
          return said === 'false 137';
        });
        // Swarm heals it (before the other ends: it would be the last running replica).
        await waitFor(
          `a new task on ${node}`,
          async () => (await targetOf(SPREAD, node)).containerId !== t.containerId,
          60_000,
          250,
        );
      }
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(await helpersLeft()).toBe('');
  });

  describe.each([
    [
      'q',
      [
        ['pause', 'labw1'],
        ['memory', 'labw2'],
      ],
    ],
    [
      'SIGINT',
      [
        ['cpu', 'labw1'],
        ['pause', 'labw2'],
      ],
    ],
    [
      'SIGTERM',
      [
        ['memory', 'labw1'],
        ['cpu', 'labw2'],
      ],
    ],
    [
      'SIGHUP',
      [
        ['net', 'labw1'],
        ['net', 'labw2'],
      ],
    ],
  ] as [string, [Kind, Worker][]][])('ended by %s', (ending, faults) => {
    it(`${faults.map(([k, n]) => `${k} on ${n}`).join(', ')}: undone on both workers, no helper left`, async () => {
      const tui = await applyAll(faults);
      if (ending === 'q') await tui.keys(['q']);
      else process.kill(tui.pid, ending);
      const code = await tui.waitExit(60_000);
      expect(code).toBe(ending === 'q' ? 0 : 128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[ending]!);
      for (const [kind, node] of faults)
        expect(await held(kind, node), `${kind} on ${node}`).toBe(false);
      expect(await helpersLeft()).toBe('');
    });
  });

  it('SIGKILL leaves pause and CPU held on the workers; restore undoes both and removes the helpers left', async () => {
    const faults: [Kind, Worker][] = [
      ['pause', 'labw2'],
      ['cpu', 'labw1'],
    ];
    const tui = await applyAll(faults);
    process.kill(tui.pid, 'SIGKILL');
    await tui.waitExit();
    for (const [kind, node] of faults)
      expect(await held(kind, node), `${kind} on ${node}`).toBe(true);
    const r = await execa('node', ['dist/cli.js', 'restore', ...HELPERS], {
      env: { XDG_STATE_HOME: tui.stateHome, CI: 'true' },
      reject: false,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/undone: pause on cd3_spread\.labw2/);
    for (const [kind, node] of faults)
      expect(await held(kind, node), `${kind} on ${node}`).toBe(false);
    expect(await helpersLeft()).toBe('');
  });

  describe('no helper flag: the console offers helpers at the first fault key on a worker', () => {
    // The lab cannot pull docker:cli: the image comes from the environment, which turns nothing on.
    const env = 'CHAOSDECK_HELPER_IMAGE=demo/swarm-helper:local';

    it('the offer names the node, the image and the socket; y pauses through a helper, the next worker is not asked about, q undoes both', async () => {
      await refreshTargets();
      const tui = (cases.tui = await new Tui().start(['--yes'], undefined, { env }));
      await tui.waitScreen(/reach: \S+ manager · labw1 no reach · labw2 no reach/);
      await openServiceTasks(tui, SPREAD);
      await tui.select(new RegExp(`^. ${SPREAD}\\.labw1 `));
      await tui.keys(['p']);
      // Read as a person does, across the dialog's wrapped lines.
      const offer = (await tui.waitScreen(/Reach labw1 through Swarm helpers\?/)).replace(
        /\s+/g,
        ' ',
      );
      expect(offer).toMatch(
        /image demo\/swarm-helper:local, the node's Docker socket \/var\/run\/docker\.sock mounted/,
      );
      expect(await held('pause', 'labw1')).toBe(false);
      await tui.keys(['y']);
      await tui.waitScreen(/PAUSE cd3_spread\.labw1/);
      await tui.keys(['Enter']);
      await onScreenIfNot(tui, 'pause on labw1, by its engine', () => held('pause', 'labw1'));
      await tui.waitScreen(/reach: \S+ manager · labw1 helper · labw2 helper/);
      await tui.waitScreen(/Active faults 1/);
      await tui.select(new RegExp(`^. ${SPREAD}\\.labw2 `));
      await tui.keys(['p']);
      await tui.waitScreen(/PAUSE cd3_spread\.labw2/);
      await tui.keys(['Enter']);
      await onScreenIfNot(tui, 'pause on labw2, by its engine', () => held('pause', 'labw2'));
      await tui.waitScreen(/Active faults 2/);
      await tui.keys(['q']);
      expect(await tui.waitExit(60_000)).toBe(0);
      expect(await held('pause', 'labw1')).toBe(false);
      expect(await held('pause', 'labw2')).toBe(false);
      expect(await helpersLeft()).toBe('');
    });

    it('n: nothing runs on the worker, the console says how to reach it and does not ask again', async () => {
      await refreshTargets();
      const tui = (cases.tui = await new Tui().start(['--yes'], undefined, { env }));
      await openServiceTasks(tui, SPREAD);
      await tui.select(new RegExp(`^. ${SPREAD}\\.labw1 `));
      await tui.keys(['p']);
      await tui.waitScreen(/Reach labw1 through Swarm helpers\?/);
      await tui.keys(['n']);
      await tui.waitScreen(/labw1 not reached: give --node labw1=URL, or start with --helpers/);
      await tui.keys(['p']);
      await tui.waitScreen(/PAUSE cd3_spread\.labw1/);
      await tui.keys(['Enter']);
      await tui.waitScreen(/task runs on node labw1; give --node labw1=/);
      expect(await held('pause', 'labw1')).toBe(false);
      expect(await helpersLeft()).toBe('');
      await tui.keys(['Escape']);
      await tui.keys(['q']);
      expect(await tui.waitExit()).toBe(0);
    });

    it('--no-helpers: no offer, the fault says how to reach the node', async () => {
      const tui = (cases.tui = await new Tui().start(['--yes', '--no-helpers'], undefined, {
        env,
      }));
      await openServiceTasks(tui, SPREAD);
      await tui.select(new RegExp(`^. ${SPREAD}\\.labw2 `));
      await tui.keys(['p']);
      await tui.waitScreen(/PAUSE cd3_spread\.labw2/);
      await tui.keys(['Enter']);
      const screen = await tui.waitScreen(/task runs on node labw2; give --node labw2=/);
      expect(screen).not.toMatch(/Swarm helpers\?/);
      await tui.keys(['Escape']);
      await tui.keys(['q']);
      expect(await tui.waitExit()).toBe(0);
    });
  });
});
