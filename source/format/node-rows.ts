import { formatAge } from '../domain/duration.js';
import type { SwarmNode, Task } from '../domain/types.js';
import { columnWidths, joinCells, type ColumnSpec } from './columns.js';

/** The nodes table's columns: node, role, state and since when, availability, raft, tasks, address. */
export const NODE_COLUMNS: ColumnSpec[] = [
  { width: 8, flex: 2 },
  { width: 7 },
  { width: 12 },
  { width: 6 },
  { width: 11 },
  { width: 5, align: 'right' },
  { width: 9, flex: 1 },
];

const HEADINGS = ['NODE', 'ROLE', 'STATE', 'AVAIL', 'MANAGER', 'TASKS', 'ADDRESS'];

/** One row of the nodes table, with how it should look. */
export interface NodeRow {
  text: string;
  tone: 'normal' | 'warn' | 'bad';
}

/**
 * The nodes as Swarm sees them, one row each (docker node ls, with since when): managers first,
 * the leader on top, then workers by name; `*` marks the node chaosdeck talks to. The state's
 * age counts from the node's UpdatedAt (the manager's clock: when Swarm last changed its record).
 */
export function nodeTable(
  nodes: SwarmNode[],
  tasks: Task[],
  now: number,
  width: number,
  selfId?: string,
): { header: string; rows: NodeRow[] } {
  const widths = columnWidths(NODE_COLUMNS, width);
  const running = new Map<string, number>();
  for (const t of tasks)
    if (t.state === 'running') running.set(t.nodeId, (running.get(t.nodeId) ?? 0) + 1);
  const order = (n: SwarmNode) => (n.leader ? 0 : n.role === 'manager' ? 1 : 2);
  const sorted = [...nodes].sort(
    (a, b) => order(a) - order(b) || (a.hostname < b.hostname ? -1 : 1),
  );
  const rows = sorted.map((n) => {
    // Whole seconds: a node's state changes every few seconds at most ("ready <1s", not "968ms").
    const age =
      n.updatedAt === undefined
        ? ''
        : now - n.updatedAt < 1000
          ? ' <1s'
          : ` ${formatAge(now - n.updatedAt)}`;
    const state = `${n.state ?? (n.ready ? 'ready' : 'not ready')}${age}`;
    const raft = n.role !== 'manager' ? '–' : n.leader ? 'leader' : (n.reachability ?? '?');
    const cells = [
      `${n.hostname}${n.id === selfId ? ' *' : ''}`,
      n.role,
      state,
      n.availability,
      raft,
      String(running.get(n.id) ?? 0),
      n.ip ?? n.addr ?? '',
    ];
    const bad = !n.ready || (n.role === 'manager' && !n.leader && n.reachability !== 'reachable');
    return {
      text: joinCells(cells, widths, NODE_COLUMNS),
      tone: bad
        ? ('bad' as const)
        : n.availability !== 'active'
          ? ('warn' as const)
          : ('normal' as const),
    };
  });
  return { header: joinCells(HEADINGS, widths, NODE_COLUMNS), rows };
}
