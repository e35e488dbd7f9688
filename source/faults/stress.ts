import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { effectiveCpus, formatBytes, parseMemory } from '../domain/fault.js';
import { memoryProblem, readDuration } from '../format/user-input.js';
import { FaultError } from './fault-error.js';
import { defineFault, traits } from './fault-module.js';
import { portFor } from './fault-ports.js';
import { ledgerId, runningContainer, WINDOW_FIELD, windowText, wordsInOrder } from './shared.js';

/** The undo of a stress fault: the burner, by the name it was given before it started. */
type StressUndo = { kind: 'stress'; containerId: string; nodeId: string; sidecar: string };

const MAX_WORKERS = 64;

/**
 * The burner: `workers` busy loops, and `bytes` of memory held, in the target's cgroup; with a
 * window it ends itself at the window's end (so it ends on time even when chaosdeck is gone).
 * `kill 0` ends the loops; the shell is the container's PID 1, so it exits after them.
 */
export function burnerScript(workers: number, bytes: number, seconds?: number): string {
  const lines = [
    `w=${workers}; while [ $w -gt 0 ]; do (while :; do :; done) & w=$((w-1)); done`,
    ...(bytes > 0
      ? [`(x=$(head -c ${bytes} /dev/zero | tr '\\0' x); while :; do sleep 3600; done) &`]
      : []),
    seconds !== undefined ? `sleep ${seconds}; kill 0; exit 0` : 'wait',
  ];
  return lines.join('\n');
}

function readWorkers(text: string | undefined, fallback: number): number {
  const t = (text ?? '').trim();
  if (t === '') return fallback;
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > MAX_WORKERS)
    throw new FaultError(`workers must be a whole number from 1 to ${MAX_WORKERS}, got "${t}"`);
  return n;
}

const ARGS = '[WORKERS] [DURATION] [--vm-bytes M]';

function systemd(node: string): FaultError {
  return new FaultError(
    `node ${node} uses the systemd cgroup driver: Docker cannot start a container inside another container's cgroup there, so the burner could not share the task's limits (stress needs the cgroupfs driver)`,
  );
}

/**
 * stress: a noisy neighbour, as Pumba's stress does it: busy loops (and optionally memory held)
 * in a sidecar made a child of the target's own cgroup, so they count against the target's
 * limits while its limits stay as they are. The sidecar is removed at the end.
 */
export const stress = defineFault<StressUndo>({
  kind: 'stress',
  key: 'b',
  label: 'stress',
  help: 'stress: burn CPU (and memory) inside the task’s own limits (default 30s)',
  // Its CPU goes to the burners: as starved as under a CPU limit.
  traits: traits({ keepsReplicaOut: true, holds: true, windowed: true }),
  fields: [
    { name: 'workers', label: 'CPU workers', hint: 'busy loops; empty: its CPU limit, rounded up' },
    { name: 'vmBytes', label: 'memory too', hint: 'e.g. 64m held in its cgroup; empty: none' },
    { ...WINDOW_FIELD, default: '30s' },
    { name: 'image', label: 'image', hint: "one with sh; empty: the task's own image" },
  ],
  flags: [
    {
      name: 'workers',
      usage: '--workers N',
      help: 'busy loops (default: its CPU limit, rounded up)',
    },
    { name: 'vmBytes', usage: '--vm-bytes M', help: 'memory to hold too, e.g. 64m' },
    {
      name: 'stressImage',
      usage: '--stress-image IMAGE',
      help: "one with sh (default: the task's own)",
    },
  ],
  lineArgs: ARGS,
  lineWords: wordsInOrder('stress', ['workers', 'for'], ARGS),
  params: (flags) => ({
    params: {
      workers: flags.workers ?? '',
      vmBytes: flags.vmBytes ?? '',
      image: flags.stressImage ?? '',
    },
  }),
  async prepare(target, params, ports) {
    const { port, res } = await runningContainer(ports, target);
    const host = await port.hostResources();
    if (host.cgroupDriver === 'systemd') throw systemd(target.nodeName);
    const cpus = effectiveCpus(res.cpu) || host.cpus || 1;
    const workers = readWorkers(params.workers, Math.max(1, Math.ceil(cpus)));
    const vmText = (params.vmBytes ?? '').trim();
    const bytes = vmText === '' ? 0 : parseMemory(vmText);
    if (bytes === undefined) throw new FaultError(memoryProblem(vmText));
    const image = (params.image ?? '').trim() || res.image;
    if (!image) throw new FaultError("the task's image is unknown; give an image with sh");
    const window = params.duration?.trim() ? readDuration(params.duration, '30s') : undefined;
    const seconds = typeof window === 'number' ? Math.ceil(window / 1000) : undefined;
    const { containerId, nodeId } = target;
    const sidecar = `chaosdeck-stress-${randomUUID().slice(0, 8)}`;
    // The task's own cgroup, as the kernel has it: the burner is made its child.
    const cgroupParent = await port.cgroupPath(containerId, image);
    if (!cgroupParent) throw new FaultError(`container ${containerId.slice(0, 12)} is not running`);
    if (cgroupParent.endsWith('.scope')) throw systemd(target.nodeName);
    return {
      params: {
        workers,
        ...(bytes ? { vm: formatBytes(bytes) } : {}),
        ...(params.image?.trim() ? { image } : {}),
      },
      undo: { kind: 'stress', containerId, nodeId, sidecar },
      async apply() {
        try {
          await port.startSidecar({
            name: sidecar,
            image,
            script: burnerScript(workers, bytes, seconds),
            cgroupParent,
            labels: { 'chaosdeck.stress.target': containerId },
          });
        } catch (error) {
          await port.removeContainer(sidecar).catch(() => false);
          throw new FaultError(
            `the burner did not start (${(error as Error).message.trim()}); it needs an image with sh: give one (--stress-image, the dialog's image)`,
          );
        }
      },
    };
  },
  undoSchema: z.object({
    kind: z.literal('stress'),
    containerId: ledgerId,
    nodeId: ledgerId,
    sidecar: ledgerId,
  }),
  // The burner goes whatever became of the task: it would go on burning in its cgroup.
  async undo(spec, ports, nodeName) {
    await portFor(ports, spec.nodeId, nodeName).removeContainer(spec.sidecar);
    return 'done';
  },
  home: () => 'container',
  describe: (params) =>
    `stress: ${params.workers ?? '?'} CPU worker${params.workers === 1 ? '' : 's'}${params.vm ? ` + ${params.vm}` : ''} in its limits${windowText(params)}`,
});
