import { z } from 'zod';
import { readDuration } from '../format/user-input.js';
import { FaultError } from './fault-error.js';
import { defineFault, traits } from './fault-module.js';
import { cutPlan, PARTITION_DEFAULT_WINDOW, PARTITION_MAX_WINDOW } from './partition-plan.js';
import { ledgerId, wordsInOrder } from './shared.js';

/** The undo of a partition: its cutter removed (the node's own rules end at `endsAtSec`). */
type PartitionUndo = {
  kind: 'cutter';
  nodeId: string;
  faultTag: string;
  endsAtSec: number;
};

const ARGS = '[DURATION] [managers|all]';

/** How long an undo waits out a swarm without a leader (the cut manager rejoining). */
const UNDO_PATIENCE_MS = 45_000;

function windowMs(text: string | undefined, what: string): number {
  const ms = readDuration((text ?? '').trim() || what, '60s, 2m');
  if (typeof ms !== 'number') throw new FaultError(ms.error);
  return ms;
}

/**
 * partition: cut the task's node off from the swarm's managers (or every other node) for a
 * window, from inside the node: a cutter task on it drops Swarm's traffic with rules the kernel
 * stops applying at the window's end, so the node comes back on time whatever happens to
 * chaosdeck, and nothing outside the node is needed to end it.
 */
export const partition = defineFault<PartitionUndo>({
  kind: 'partition',
  key: 'P',
  label: 'partition',
  help: "cut the task's node off the swarm for a window (default 60s)",
  traits: traits({ holds: true, windowed: true, onNode: true, windowRequired: true }),
  commandTarget: 'node',
  fields: [
    {
      name: 'duration',
      label: 'duration',
      hint: '60s, 2m; required: a cut-off node cannot be reached to end it early',
      default: PARTITION_DEFAULT_WINDOW,
    },
    {
      name: 'from',
      label: 'from',
      hint: 'managers, or all (every other node)',
      default: 'managers',
    },
  ],
  flags: [
    {
      name: 'from',
      usage: '--from managers|all',
      help: 'cut off from the managers (default) or every node',
    },
    {
      name: 'maxWindow',
      usage: '--max-window D',
      help: `the longest window allowed (default ${PARTITION_MAX_WINDOW})`,
    },
    {
      name: 'forceQuorumLoss',
      usage: '--force-quorum-loss',
      help: 'with --yes: cut a manager even if the swarm loses quorum',
    },
  ],
  lineArgs: ARGS,
  lineWords: wordsInOrder('partition', ['for', 'from'], ARGS),
  params(flags) {
    const from = (flags.from ?? 'managers').trim();
    if (from !== 'managers' && from !== 'all')
      return { error: `--from takes managers or all, not "${from}"` };
    return {
      params: {
        from,
        maxWindow: flags.maxWindow ?? PARTITION_MAX_WINDOW,
        ...(flags.forceQuorumLoss !== undefined ? { forceQuorumLoss: 'yes' } : {}),
      },
    };
  },
  async prepare(target, params, ports) {
    const durationMs = windowMs(params.duration, PARTITION_DEFAULT_WINDOW);
    const maxMs = windowMs(params.maxWindow, PARTITION_MAX_WINDOW);
    if (durationMs > maxMs)
      throw new FaultError(
        `a partition of ${params.duration} is longer than the longest allowed (${params.maxWindow ?? PARTITION_MAX_WINDOW}); --max-window raises it`,
      );
    const [nodes, info] = await Promise.all([ports.swarm.listNodes(), ports.swarm.info()]);
    const plan = cutPlan({
      nodes,
      nodeId: target.nodeId,
      selfNodeId: info.nodeId,
      followsThrough: ports.swarm.followsThrough?.() ?? [],
      from: params.from === 'all' ? 'all' : 'managers',
      forceQuorumLoss: params.forceQuorumLoss === 'yes',
    });
    if ('refused' in plan) throw new FaultError(plan.refused, { refusal: true });
    const faultTag = `${target.nodeId.slice(0, 12)}-${Date.now().toString(36)}`;
    // Captured before the change, as every undo: the rules' end is counted from here (the
    // cutter's start, a second or two, comes out of the window, never on top of it).
    const endsAtSec = Math.ceil((Date.now() + durationMs) / 1000);
    return {
      params: {
        node: target.nodeName,
        from: params.from === 'all' ? 'all' : 'managers',
        peers: plan.peers.join(' '),
        ...(plan.quorumNote ? { quorum: plan.quorumNote } : {}),
      },
      undo: { kind: 'cutter', nodeId: target.nodeId, faultTag, endsAtSec },
      apply: async () => {
        await ports.swarm.startCutter({
          faultId: faultTag,
          nodeId: target.nodeId,
          endsAtSec,
          peers: plan.peers,
          ports: plan.ports,
        });
        await waitCutting(ports.swarm, faultTag, target.nodeName);
      },
    };
  },
  undoSchema: z.object({
    kind: z.literal('cutter'),
    nodeId: ledgerId,
    faultTag: ledgerId,
    endsAtSec: z.number(),
  }),
  async undo(spec, ports) {
    // The node heals by itself at endsAtSec (its own rules); before then, removing the cutter
    // reaches the node only if it still hears its managers. A cut manager's return can cost the
    // swarm its leader again for a few seconds (an election): patient through that.
    const deadline = Date.now() + UNDO_PATIENCE_MS;
    for (;;) {
      try {
        await ports.swarm.removeCutter(spec.faultTag, 5000);
        return 'done';
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  },
  home: () => 'node',
  describe: (params) =>
    `partition node${params.from === 'all' ? ' from every node' : ' from its managers'}${params.duration ? ` for ${params.duration}` : ''}`,
});

/**
 * Waits for the cutter's task to run (the node reports it just before its rules go in). Cutting
 * a manager can take the API down with it (an election; calls hang): once the cutter exists, a
 * manager that stops answering is taken for the cut in effect, not for a failure.
 */
async function waitCutting(
  swarm: Parameters<typeof partition.undo>[1]['swarm'],
  faultId: string,
  nodeName: string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let unanswered = 0;
  // A cut leader cannot commit its own cutter's "running" (no quorum): "starting" for 3 s, with
  // no failure, is the cut in effect.
  let startingSince: number | undefined;
  for (;;) {
    let task: Awaited<ReturnType<typeof swarm.cutterTask>>;
    try {
      // Short: a manager that hangs is news here, not a reason to wait 15 s.
      task = await swarm.cutterTask(faultId, 3000);
      unanswered = 0;
    } catch {
      // Two looks in a row without an answer: the control plane went with the node.
      if (++unanswered >= 2) return;
      continue;
    }
    if (task?.state === 'running' || task?.state === 'complete') return;
    if (task?.state === 'starting') {
      startingSince ??= Date.now();
      if (Date.now() - startingSince > 3000) return;
    }
    if (task && ['failed', 'rejected', 'shutdown'].includes(task.state)) {
      await swarm.removeCutter(faultId).catch(() => undefined);
      throw new FaultError(
        `the partition's cutter on ${nodeName} ${task.state}${task.error ? `: ${task.error}` : ''} (its image needs iptables and sh: --tc-image)`,
      );
    }
    if (Date.now() > deadline) {
      await swarm.removeCutter(faultId).catch(() => undefined);
      throw new FaultError(
        `the partition's cutter on ${nodeName} did not start in 30 s (task ${task?.state ?? 'not scheduled'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
