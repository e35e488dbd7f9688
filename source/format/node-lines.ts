import type { SwarmNode } from '../domain/types.js';

/**
 * "nodes 3/3 ready", or with nodes lost: "nodes 2/3 ready (labw1 down, labm1 unknown) · managers
 * 2/3 reachable, leader labm2"; "no leader" when the list names none.
 */
export function nodesSummary(nodes: SwarmNode[]): string {
  const ready = nodes.filter((n) => n.ready).length;
  const lost = nodes.filter((n) => !n.ready).map((n) => `${n.hostname} ${n.state ?? 'not ready'}`);
  const text = `nodes ${ready}/${nodes.length} ready${lost.length ? ` (${lost.join(', ')})` : ''}`;
  const managers = nodes.filter((n) => n.role === 'manager');
  const reachable = managers.filter((n) => n.leader || n.reachability === 'reachable').length;
  const leader = managers.find((n) => n.leader);
  // The control plane only when it is in question: a manager lost, or no leader.
  if (nodes.length === 0 || (reachable === managers.length && leader)) return text;
  return `${text} · managers ${reachable}/${managers.length} reachable, ${leader ? `leader ${leader.hostname}` : 'no leader'}`;
}
