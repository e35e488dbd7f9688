import { formatSeconds } from '../domain/duration.js';
import type { NodeRecovery } from '../domain/node-recovery.js';

const plus = (cut: number, t: number | undefined) =>
  t === undefined ? '…' : `+${formatSeconds(Math.max(0, t - cut))}`;

/**
 * A node's loss and return as lines, each phase counted from the cut: marked down, every replica
 * it ran back elsewhere, the services whole, the node ready again, its global tasks, what was
 * left of its old tasks, and (a manager cut) the control plane.
 */
export function nodeRecoveryLines(r: NodeRecovery): string[] {
  const at = (t: number | undefined) => plus(r.cutAt, t);
  // A cut manager may stay "unknown" (never marked down) to the leader elected without it.
  const lost =
    r.downAt !== undefined || r.lostAs === undefined || r.lostAs === 'down'
      ? `down ${at(r.downAt)}`
      : `${r.lostAs} ${at(r.lostAt)} (never marked down)`;
  const lines = [
    `${r.node}: ${lost} · services whole ${r.moved.length ? at(r.convergedAt) : '(none moved)'} · ready again ${at(r.readyAt)}`,
  ];
  for (const m of r.moved)
    lines.push(
      `  ${m.slot}: replacement${m.replacementNode ? ` on ${m.replacementNode}` : ''} created ${at(m.createdAt)} · running ${at(m.runningAt)}`,
    );
  if (r.globalTasks > 0)
    lines.push(
      `  global tasks (${r.globalTasks}): ${r.globalBackAt === undefined ? '…' : r.globalBackAt < r.cutAt ? 'kept running through the cut' : `running again ${at(r.globalBackAt)}`}`,
    );
  if (r.left.length)
    lines.push(
      `  left on ${r.node}: ${r.left.map((t) => `${t.slot} ${t.state}${t.desired !== t.state ? ` (desired ${t.desired})` : ''}`).join(', ')}`,
    );
  const line = controlPlaneLine(r);
  if (line) lines.push(`  ${line}`);
  return lines;
}

/**
 * "leader labm1 lost +0.4s · new leader labm2 +11.0s · API answering again +11.0s · 2/3
 * managers reachable"; undefined when no manager was cut and the API never failed.
 */
export function controlPlaneLine(r: NodeRecovery): string | undefined {
  const cp = r.controlPlane;
  if (!cp) return undefined;
  const at = (t: number | undefined) => plus(r.cutAt, t);
  const parts: string[] = [];
  if (cp.leaderLostAt !== undefined)
    parts.push(`leader${cp.leaderBefore ? ` ${cp.leaderBefore}` : ''} lost ${at(cp.leaderLostAt)}`);
  if (cp.newLeader) parts.push(`new leader ${cp.newLeader} ${at(cp.newLeaderAt)}`);
  if (cp.apiDownAt !== undefined)
    parts.push(`API refused ${at(cp.apiDownAt)}, answering again ${at(cp.apiBackAt)}`);
  if (cp.worstReachable)
    parts.push(`${cp.worstReachable.reachable}/${cp.worstReachable.managers} managers reachable`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The recovery for --json: ISO times and ms from the cut. */
export function nodeRecoveryJson(r: NodeRecovery): Record<string, unknown> {
  const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
  const ms = (t: number | undefined) => (t === undefined ? null : t - r.cutAt);
  return {
    node: r.node,
    cutAt: iso(r.cutAt),
    downAt: iso(r.downAt),
    downMs: ms(r.downAt),
    notReadyAs: r.lostAs ?? null,
    notReadyMs: ms(r.lostAt),
    servicesWholeMs: ms(r.convergedAt),
    readyAt: iso(r.readyAt),
    readyMs: ms(r.readyAt),
    moved: r.moved.map((m) => ({
      slot: m.slot,
      oldTask: m.oldTaskId,
      replacementTask: m.replacementTaskId ?? null,
      replacementNode: m.replacementNode ?? null,
      createdAt: iso(m.createdAt),
      createdMs: ms(m.createdAt),
      runningAt: iso(m.runningAt),
      runningMs: ms(m.runningAt),
    })),
    globalTasks: r.globalTasks,
    globalBackAt: iso(r.globalBackAt),
    left: r.left,
    ...(r.controlPlane
      ? {
          controlPlane: {
            leaderBefore: r.controlPlane.leaderBefore ?? null,
            leaderLostMs: ms(r.controlPlane.leaderLostAt),
            newLeader: r.controlPlane.newLeader ?? null,
            newLeaderMs: ms(r.controlPlane.newLeaderAt),
            apiDownMs: ms(r.controlPlane.apiDownAt),
            apiBackMs: ms(r.controlPlane.apiBackAt),
            worstReachable: r.controlPlane.worstReachable ?? null,
          },
        }
      : {}),
  };
}
