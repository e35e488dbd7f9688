import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { join } from 'node:path';
import { LABW1, inspectContainer, targetOf } from './chaos-lab.js';
import { docker, waitFor } from './lab.js';
import type { Tui } from './tui.js';

/** Flags for a probe of lab_web every 300 ms (1 s timeout): a paused web task shows in it. */
export const WEB_PROBE = [
  '--probe',
  'web=http://127.0.0.1:18080/',
  '--probe-interval',
  '300ms',
  '--probe-timeout',
  '1s',
];

/** A lab_worker task (no healthcheck, one per node: pausing one never trips a guard). */
export async function worker(node: 'vm' | 'labw1') {
  const t = await targetOf('lab_worker', node);
  return { ...t, host: node === 'labw1' ? LABW1 : undefined };
}

/** docker inspect's word on whether a container is paused. */
export async function isPaused(c: { containerId: string; host?: string | undefined }) {
  return (await inspectContainer(c.containerId, '{{.State.Paused}}', c.host)) === 'true';
}

/** The ledger of a state home as (container, status) pairs; [] when there is no file. */
export function ledgerOf(stateHome: string): string[] {
  const file = join(stateHome, 'chaosdeck', 'ledger.json');
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    faults: { target: { containerId: string }; status: string }[];
  };
  return parsed.faults.map((f) => `${f.target.containerId.slice(0, 12)} ${f.status}`).sort();
}

/** Whether Docker says lab_worker's task on `node` is running. */
export async function workerRunsOn(node: string): Promise<boolean> {
  const state = await docker([
    'service',
    'ps',
    'lab_worker',
    '--filter',
    `node=${node}`,
    '--filter',
    'desired-state=running',
    '--format',
    '{{.CurrentState}}',
  ]);
  return /^Running/.test(state);
}

/** Opens lab_worker's tasks and selects the running one on `node`. */
export async function selectWorker(tui: Tui, node: 'vm' | 'labw1'): Promise<void> {
  // A task Swarm is still (re)starting there has no "running running" row to select yet.
  await waitFor(`lab_worker running on ${node}`, () => workerRunsOn(node), 60_000, 250);
  await tui.keys(['G', 'Enter']);
  await tui.waitScreen(/▸ Tasks of lab_worker/);
  await tui.select(new RegExp(`lab_worker\\.${node} +${node} +running +running`));
}

/** Opens the pause dialog on the selected task (with --yes, Enter then applies). */
export async function openPause(tui: Tui): Promise<void> {
  await tui.keys(['p']);
  await tui.waitScreen(/PAUSE lab_worker/);
}

/** The stderr the console wrote (the Tui sends it to a file in its state home). */
export function stderrOf(tui: Tui): string {
  const file = join(tui.stateHome, 'stderr');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Pauses lab_worker's task on `node` by keys (--yes) and waits for docker inspect and the bar. */
export async function pauseWorker(
  tui: Tui,
  w: { containerId: string; host?: string | undefined },
  node: 'vm' | 'labw1' = 'vm',
): Promise<void> {
  await selectWorker(tui, node);
  await openPause(tui);
  await tui.keys(['Enter']);
  await waitFor('the pause', () => isPaused(w));
  await tui.waitScreen(/Active faults 1/);
}

/** tc qdisc and iptables INPUT of a container on this machine, as root sees them from the host. */
export async function netState(containerId: string): Promise<string> {
  const pid = (
    await execa('docker', ['inspect', '--format', '{{.State.Pid}}', containerId])
  ).stdout.trim();
  const tc = await execa('nsenter', ['-t', pid, '-n', 'tc', 'qdisc', 'show', 'dev', 'eth0']);
  const ipt = await execa('nsenter', ['-t', pid, '-n', 'iptables', '-S', 'INPUT']);
  return `${tc.stdout.trim()}\n${ipt.stdout.trim()}`;
}

/** Opens lab_api's tasks (the first service) and selects the task of `api`'s slot. */
export async function selectApiTask(tui: Tui, api: { slotName: string }): Promise<void> {
  await tui.keys(['g', 'Enter']);
  await tui.waitScreen(/▸ Tasks of lab_api/);
  await tui.select(new RegExp(`${api.slotName.replace('.', '\\.')} `));
}

/** Sets a task of lab_api to 0.2 CPUs by keys (--yes) and waits for docker inspect to show it. */
export async function limitApiCpu(
  tui: Tui,
  api: { slotName: string; containerId: string; host?: string | undefined },
): Promise<void> {
  await selectApiTask(tui, api);
  await tui.keys(['c']);
  await tui.waitScreen(/CPU lab_api/);
  await tui.keys(['BSpace', 'BSpace', 'BSpace']);
  await tui.keys(['0.2'], { literal: true });
  await tui.keys(['Enter']);
  await waitFor(
    'the CPU limit',
    async () =>
      (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}', api.host)) ===
      '200000000',
  );
}

/**
 * Applies a fault to the selected lab_web task by keys: its key, the dialog's first field typed
 * (when given), then lab_web's name (its last replica); waits for the console to show it held
 * (kill: until the dialog is gone).
 */
export async function faultOnWebByKeys(tui: Tui, key: 'x' | 'p', field?: string): Promise<void> {
  await tui.keys([key]);
  await tui.waitScreen(key === 'x' ? /KILL lab_web/ : /PAUSE lab_web/);
  if (field) await tui.keys([field], { literal: true });
  await tui.keys(['Enter']);
  await tui.waitScreen(/Type lab_web/);
  await tui.keys(['lab_web'], { literal: true });
  await tui.keys(['Enter']);
  if (key === 'p') await tui.waitScreen(/Active faults 1/);
}

/**
 * With lab_db selected in the services pane: opens its tasks, `p`, Enter, then the last-replica
 * confirmations as a person answers them (y/n unless the console runs with --yes, then the
 * service's name typed) until Docker says lab_db's task is paused.
 */
export async function pauseDbByKeys(
  tui: Tui,
  db: { containerId: string },
  options: { yes: boolean },
): Promise<void> {
  await tui.keys(['Enter']);
  await tui.waitScreen(/▸ Tasks of lab_db/);
  await tui.keys(['p']);
  await tui.waitScreen(/PAUSE lab_db/);
  await tui.keys(['Enter']);
  if (!options.yes) {
    await tui.waitScreen(/last running replica of lab_db[\s\S]*y = go ahead/);
    await tui.keys(['y']);
  }
  await tui.waitScreen(/Type lab_db and Enter/);
  await tui.keys(['lab_db'], { literal: true });
  await tui.keys(['Enter']);
  await waitFor('lab_db paused', () => isPaused(db));
}

/** The rules in the raw table of a container's network namespace (where dns adds its own). */
export async function rawRules(containerId: string): Promise<string> {
  const pid = await docker(['inspect', '--format', '{{.State.Pid}}', containerId]);
  const args = [`--net=/proc/${pid}/ns/net`, 'iptables', '-t', 'raw', '-S', 'OUTPUT'];
  return (await execa('nsenter', args)).stdout.trim();
}

/** The stress sidecars Docker runs for a container (running or not), by name. */
export async function sidecarsOf(containerId: string): Promise<string[]> {
  const label = `label=chaosdeck.stress.target=${containerId}`;
  const out = await docker(['ps', '-a', '--filter', label, '--format', '{{.Names}}']);
  return out.split('\n').filter(Boolean);
}
