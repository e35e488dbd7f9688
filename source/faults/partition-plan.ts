import type { SwarmNode } from '../domain/types.js';

/** A partition's window when none is given. */
export const PARTITION_DEFAULT_WINDOW = '60s';

/** The longest partition window unless --max-window says otherwise. */
export const PARTITION_MAX_WINDOW = '10m';

/**
 * The traffic a partition drops, either way, between the node and its peers: Swarm's control
 * plane (2377/tcp), its gossip (7946 tcp and udp), the overlay's data (4789/udp) and encrypted
 * overlays (ESP). Only Swarm's ports, not all traffic: the node is lost to the swarm as a dead
 * one is, while ssh, the node's own Docker endpoint and its published ports stay reachable for
 * the operator (a way in if something goes wrong, and the node's side of the story).
 */
export const SWARM_PORTS = ['tcp:2377,7946', 'udp:7946,4789'];

/** What a partition will do, or why it must not. */
export type CutPlan =
  | {
      peers: string[];
      ports: string[];
      /** "2/3 managers reachable during" for a manager cut, when quorum holds. */
      quorumNote?: string;
    }
  | { refused: string };

/** Managers Swarm counts as reachable (the leader always is, to itself). */
function reachable(nodes: SwarmNode[]): SwarmNode[] {
  return nodes.filter(
    (n) => n.role === 'manager' && (n.leader || (n.reachability ?? 'reachable') === 'reachable'),
  );
}

/**
 * Plans a cut of `nodeId` from its managers (or every other node), refusing what an operator
 * would not want by accident: the manager chaosdeck talks to (cut off, it could not watch), a
 * node that is not ready, a manager whose loss breaks quorum (unless forced).
 */
export function cutPlan(input: {
  nodes: SwarmNode[];
  nodeId: string;
  selfNodeId: string;
  /** Other managers chaosdeck follows the swarm through when its own is cut off (endpoints). */
  followsThrough?: string[];
  from: 'managers' | 'all';
  forceQuorumLoss: boolean;
}): CutPlan {
  const node = input.nodes.find((n) => n.id === input.nodeId);
  if (!node) return { refused: `node ${input.nodeId.slice(0, 12)} is not in the swarm` };
  const name = node.hostname;
  if (node.id === input.selfNodeId && !input.followsThrough?.length)
    return {
      refused: `${name} is the manager chaosdeck talks to: cut off, it could not watch Swarm heal. Give other managers too (--host more than once: chaosdeck follows the swarm through them), or connect through another manager and partition ${name} from there`,
    };
  if (node.state !== undefined && node.state !== 'ready')
    return { refused: `${name} is ${node.state}, not ready: nothing to cut off` };
  const peers = input.nodes
    .filter((n) => n.id !== node.id && (input.from === 'all' || n.role === 'manager'))
    .map((n) => n.ip)
    .filter((ip): ip is string => !!ip && ip !== node.ip);
  if (peers.length === 0)
    return { refused: `no address to cut ${name} off from (the swarm lists none for its peers)` };
  let quorumNote: string | undefined;
  if (node.role === 'manager') {
    const managers = input.nodes.filter((n) => n.role === 'manager').length;
    const up = reachable(input.nodes).filter((n) => n.id !== node.id).length;
    const quorum = Math.floor(managers / 2) + 1;
    quorumNote = `${up}/${managers} managers reachable during (quorum ${quorum})`;
    if (up < quorum && !input.forceQuorumLoss)
      return {
        refused: `cutting ${name} leaves ${up} of ${managers} managers: below quorum (${quorum}), so the swarm cannot be managed until it is back. --force-quorum-loss --yes goes ahead`,
      };
  }
  return { peers: [...new Set(peers)], ports: SWARM_PORTS, ...(quorumNote ? { quorumNote } : {}) };
}
