import { execa } from 'execa';
import { LABW1, inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { engineProxy } from '../helpers/engine-proxy.js';
import { chaosdeckInSwarm } from '../helpers/swarm-objects.js';
import { containerExitCode, waitFor } from '../helpers/lab.js';
import { Tui } from '../helpers/tui.js';
import {
  isPaused,
  limitApiCpu,
  netState,
  selectApiTask,
  openPause,
  rawRules,
  selectWorker,
  sidecarsOf,
} from '../helpers/undo-lab.js';

const NODES = ['--node', `labw1=${LABW1}`];

/**
 * How a console dies in the harness. container-stopped: the console runs from the image
 * (`docker run -it`, npm run image) and gets `docker stop`; container-closed: the same with a
 * client that keeps the hang-up (`--sig-proxy=false`, as before Docker 25) and its terminal
 * closed, so only the console's own terminal watch can notice. engine-hung: its manager connection hangs (a proxy that is
 * SIGSTOPped, as a lost VPN or a wedged ssh leaves it), then SIGTERM: the exit must come within
 * the undo's 15 s bound, and restore, once the engine answers, puts everything back.
 * left-*: nobody restores; the cluster must undo the fault by itself (its watchdog, after a
 * --holder-grace of 15 s): left-killed is a SIGKILL, left-cut a manager connection cut (the
 * proxy killed) with the console still running, left-both the cut and then the SIGKILL.
 */
export const DEATHS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGKILL',
  'pane-closed',
  'engine-hung',
  'container-stopped',
  'container-closed',
  'left-killed',
  'left-cut',
  'left-both',
] as const;
export type Death = (typeof DEATHS)[number];

/** The faults the harness applies (dns on the login app's web tier, added for its deaths). */
export const FAULTS = ['pause', 'cpu', 'memory', 'net', 'dns', 'stress'] as const;
export type Fault = (typeof FAULTS)[number];

/** One console death and what it left. */
export interface DeathResult {
  death: Death;
  fault: Fault;
  /** Signal (or pane close) → exit, in ms; for left-*: the death → the fault undone (inspect). */
  exitMs: number;
  exitCode: number;
  /** True when docker inspect after the death (and restore, for SIGKILL) differs from before. */
  leftover: boolean;
  detail: string;
}

const LIMITS =
  '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.State.Paused}}';

async function target(fault: Fault) {
  const t =
    fault === 'pause' || fault === 'net'
      ? await targetOf('lab_worker', 'vm')
      : fault === 'dns'
        ? await targetOf('app_web', 'vm')
        : await targetOf('lab_api');
  return { ...t, host: t.nodeName === 'labw1' ? LABW1 : undefined };
}

/** Applies the fault by keys, as a person would, and waits for docker inspect to show it. */
async function apply(tui: Tui, fault: Fault, t: Awaited<ReturnType<typeof target>>) {
  if (fault === 'pause') {
    await selectWorker(tui, 'vm');
    await openPause(tui);
    await tui.keys(['Enter']);
    await waitFor('the pause', () => isPaused(t));
    return;
  }
  if (fault === 'net') {
    const before = await netState(t.containerId);
    await selectWorker(tui, 'vm');
    await tui.keys(['d']);
    await tui.waitScreen(/NET lab_worker/);
    const clear = Array.from({ length: 8 }, () => 'BSpace');
    // A loss window through iptables (this kernel has no netem), 30 s: the death comes first.
    await tui.keys(clear);
    await tui.keys(['loss'], { literal: true });
    await tui.keys(['Tab', ...clear]);
    await tui.keys(['30%'], { literal: true });
    await tui.keys(['Enter']);
    await waitFor('the loss window', async () => (await netState(t.containerId)) !== before);
    return;
  }
  if (fault === 'dns') {
    await tui.keys([':']);
    await tui.keys(['svc app_web'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/▸ Tasks of app_web/);
    await tui.keys(['r']);
    await tui.waitScreen(/DNS app_web/);
    await tui.keys(['Enter']);
    await waitFor('the DNS rules', async () => (await rawRules(t.containerId)).includes('53'));
    return;
  }
  if (fault === 'stress') {
    await selectApiTask(tui, t);
    await tui.keys(['b']);
    await tui.waitScreen(/STRESS lab_api/);
    await tui.keys(['Enter']);
    await waitFor('the burner', async () => (await sidecarsOf(t.containerId)).length > 0);
    return;
  }
  if (fault === 'cpu') return limitApiCpu(tui, t);
  await selectApiTask(tui, t);
  await tui.keys(['m']);
  await tui.waitScreen(/MEMORY lab_api/);
  await tui.keys(['Enter']);
  await waitFor(
    'the memory limit',
    async () =>
      (await inspectContainer(t.containerId, '{{.HostConfig.Memory}}', t.host)) ===
      String(50 * 1024 ** 2),
  );
}

let deathsRun = 0;

/** The grace the left-* consoles run with: the shortest chaosdeck takes. */
const LEFT_GRACE_MS = 15_000;

/** Whether the swarm still holds a watchdog or a fault record (docker service ls, config ls). */
async function swarmHolds(): Promise<string> {
  const { records, watchdogs } = await chaosdeckInSwarm();
  return [...watchdogs, ...records].join(' ');
}

/**
 * A left-* death: the console is SIGKILLed, cut off from its manager, or both, and nobody runs
 * restore. The fault must be undone by the cluster within the grace (or its window) + 25 s, and nothing of
 * chaosdeck left in the swarm 10 s later.
 */
async function leftToTheCluster(
  death: Death,
  fault: Fault,
  tui: Tui,
  proxy: Awaited<ReturnType<typeof engineProxy>> | undefined,
  state: () => Promise<string>,
  before: string,
): Promise<DeathResult> {
  const start = performance.now();
  if (proxy) await proxy.cut();
  let exitCode = 0;
  if (death !== 'left-cut') {
    process.kill(tui.pid, 'SIGKILL');
    exitCode = await tui.waitExit();
  }
  let undone = false;
  // The grace, or the net fault's 30 s window, and some.
  const deadline = Date.now() + LEFT_GRACE_MS + 25_000;
  while (!undone && Date.now() < deadline) {
    undone = (await state()) === before;
    if (!undone) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const exitMs = Math.round(performance.now() - start);
  let detail = undone ? '' : `not undone by the cluster: "${await state()}"`;
  const clean = await waitFor(
    'nothing in the swarm',
    async () => (await swarmHolds()) === '',
    10_000,
  ).then(
    () => true,
    () => false,
  );
  if (!clean) detail += ` left in the swarm: ${await swarmHolds()}`;
  if (death === 'left-cut') {
    // The console, still running, quits: its undo finds the fault ended (or cannot reach).
    await tui.keys(['q']);
    exitCode = await tui.waitExit(30_000);
  }
  return { death, fault, exitMs, exitCode, leftover: !undone || !clean, detail: detail.trim() };
}

/** The image's console as the README runs it, its state in `stateHome`, the worker's socket too. */
function dockerRun(name: string, stateHome: string, keepHangup: boolean): string {
  return [
    'docker run -it',
    keepHangup ? '--sig-proxy=false' : '',
    `--name ${name}`,
    '-v /var/run/docker.sock:/var/run/docker.sock',
    '-v /run/chaosdeck-lab:/run/chaosdeck-lab',
    `-v ${stateHome}:/state`,
    // Its faults' watchdogs: the image and helpers the lab has (the shell's environment).
    '-e CHAOSDECK_WATCHDOG_IMAGE -e CHAOSDECK_HELPER_IMAGE',
    'chaosdeck:local',
  ].join(' ');
}

/** Starts a console, applies one fault, ends the console the given way and checks what is left. */
export async function oneDeath(death: Death, fault: Fault): Promise<DeathResult> {
  // The login app is up only for a dns death: the other faults' keys expect the lab_* services alone.
  if (fault === 'dns') await execa('bash', ['scripts/lab.sh', 'app']);
  try {
    return await deathWith(death, fault);
  } finally {
    if (fault === 'dns') await execa('bash', ['scripts/lab.sh', 'app-down']);
  }
}

async function deathWith(death: Death, fault: Fault): Promise<DeathResult> {
  const t = await target(fault);
  const extra: Partial<Record<Fault, () => Promise<string>>> = {
    net: () => netState(t.containerId),
    dns: () => rawRules(t.containerId),
    stress: async () => (await sidecarsOf(t.containerId)).join(' '),
  };
  const state = async () =>
    `${await inspectContainer(t.containerId, LIMITS, t.host)}\n${(await extra[fault]?.()) ?? ''}`;
  const before = await state();
  const left = death.startsWith('left-');
  const proxy =
    death === 'engine-hung' || death === 'left-cut' || death === 'left-both'
      ? await engineProxy()
      : undefined;
  const container = death.startsWith('container-')
    ? `chaosdeck-death-${process.pid}-${deathsRun++}`
    : undefined;
  const tui = new Tui();
  await tui.start(
    [
      '--yes',
      ...NODES,
      ...(proxy?.host ?? []),
      // In a container, and in a watchdog (left-*), tc runs in a helper container: the lab's image.
      ...(container || left ? ['--tc-image', 'demo/nettools:local'] : []),
      ...(left ? ['--holder-grace', `${LEFT_GRACE_MS / 1000}s`] : []),
    ],
    undefined,
    {
      ignoreHup: death === 'pane-closed',
      // The state home is the container's /state: restore below reads the same ledger.
      ...(container
        ? { program: dockerRun(container, tui.stateHome, death === 'container-closed') }
        : {}),
    },
  );
  try {
    await apply(tui, fault, t);
    await tui.waitScreen(/Active faults 1/);
    if (left) return await leftToTheCluster(death, fault, tui, proxy, state, before);
    if (proxy) await proxy.hang();
    const start = performance.now();
    if (death === 'pane-closed' || death === 'container-closed') await tui.stop();
    else if (death === 'container-stopped') await execa('docker', ['stop', container!]);
    else process.kill(tui.pid, death === 'engine-hung' ? 'SIGTERM' : death);
    const exitCode = container ? await containerExitCode(container) : await tui.waitExit();
    const exitMs = Math.round(performance.now() - start);
    let detail = '';
    if (death === 'SIGKILL' || proxy) {
      await proxy?.resume();
      const r = await execa('node', ['dist/cli.js', 'restore', ...NODES], {
        env: { XDG_STATE_HOME: tui.stateHome },
        reject: false,
      });
      detail = r.exitCode === 0 ? '' : `restore exit ${r.exitCode}: ${r.stdout} ${r.stderr}`;
    }
    const after = await state();
    const leftover = after !== before;
    if (leftover) detail += ` before "${before}" after "${after}"`;
    return { death, fault, exitMs, exitCode, leftover, detail: detail.trim() };
  } finally {
    await proxy?.close();
    await tui.stop();
    if (container) await execa('docker', ['rm', '-f', container], { reject: false });
    await execa('node', ['dist/cli.js', 'restore', ...NODES], {
      env: { XDG_STATE_HOME: tui.stateHome },
      reject: false,
    });
  }
}
