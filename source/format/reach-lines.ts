import { OTHER_NODES, type NodeReach, type SwarmNode } from '../domain/types.js';

/**
 * How a node is reached: the manager's own, its endpoint's (by hostname or id), else what the
 * map says for other nodes (helpers), else none.
 */
export function reachOfNode(
  node: Pick<SwarmNode, 'id' | 'hostname'>,
  managerNodeId: string | undefined,
  reach: Record<string, NodeReach>,
): NodeReach {
  if (node.id === managerNodeId) return { kind: 'manager' };
  return reach[node.hostname] ?? reach[node.id] ?? reach[OTHER_NODES] ?? { kind: 'none' };
}

const WORD: Record<NodeReach['kind'], string> = {
  manager: 'manager',
  endpoint: 'endpoint',
  helper: 'helper',
  unreachable: 'unreachable',
  none: 'no reach',
};

// Names for a handful of nodes; counts for a real swarm's dozens.
const NAMED_UP_TO = 4;

/**
 * The header's reach: "vm manager · labw1 endpoint" for a few nodes, "1 manager · 12 endpoint ·
 * 1 unreachable (w7) · 40 no reach" for many; `bad` when an endpoint does not answer.
 */
export function reachSummary(
  nodes: Pick<SwarmNode, 'id' | 'hostname'>[],
  managerNodeId: string | undefined,
  reach: Record<string, NodeReach>,
): { text: string; bad: boolean } {
  // The manager first, the others by name: the order does not move with the node list's.
  const sorted = [...nodes].sort((a, b) =>
    a.id === managerNodeId ? -1 : b.id === managerNodeId ? 1 : a.hostname.localeCompare(b.hostname),
  );
  const kinds = sorted.map((n) => ({
    name: n.hostname,
    kind: reachOfNode(n, managerNodeId, reach).kind,
  }));
  const bad = kinds.some((k) => k.kind === 'unreachable');
  if (nodes.length <= NAMED_UP_TO)
    return { text: kinds.map((k) => `${k.name} ${WORD[k.kind]}`).join(' · '), bad };
  const order: NodeReach['kind'][] = ['manager', 'endpoint', 'helper', 'unreachable', 'none'];
  const text = order
    .map((kind) => {
      const these = kinds.filter((k) => k.kind === kind);
      if (these.length === 0) return '';
      const names =
        kind === 'unreachable' && these.length <= 3
          ? ` (${these.map((k) => k.name).join(', ')})`
          : '';
      return `${these.length} ${WORD[kind]}${names}`;
    })
    .filter(Boolean)
    .join(' · ');
  return { text, bad };
}

/**
 * The tasks pane's node cell: the name, and "(unreachable)" after it when its endpoint does not
 * answer here. That is reach, not the node's state: Swarm may well say the node is Ready.
 */
export function nodeCell(name: string, reach: NodeReach): string {
  return reach.kind === 'unreachable' ? `${name} (unreachable)` : name;
}
