import type { FaultRecord } from '../domain/fault.js';
import { groupTaskSlots } from '../domain/task-slots.js';
import type { ContainerHealth, Service, SwarmNode, Task } from '../domain/types.js';
import { formatPorts } from '../format/service-rows.js';
import { stateWithAge } from '../format/state-age.js';
import { exitCell } from '../format/task-rows.js';
import { traitsOf } from '../faults/registry.js';
import { holderAlive } from '../domain/fault.js';

/** One row of `chaosdeck status`: a slot's current task with its service, health and faults. */
export interface StatusTaskRow {
  service: string;
  mode: string;
  replicas: string;
  slot: string;
  task: string;
  node: string;
  state: string;
  desired: string;
  since: string;
  exit?: string;
  health: string;
  faults: string[];
}

/** Builds the rows (services sorted by name, slots in order); pure. */
export function statusTaskRows(
  services: Service[],
  tasks: Task[],
  nodes: SwarmNode[],
  health: Record<string, ContainerHealth | undefined>,
  faults: FaultRecord[],
): StatusTaskRow[] {
  const host = (id: string) => nodes.find((n) => n.id === id)?.hostname ?? id.slice(0, 12);
  return [...services]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((s): StatusTaskRow[] => {
      const slots = groupTaskSlots(s, tasks, host);
      const base = {
        service: s.name,
        mode: s.mode,
        replicas: `${s.running}/${s.desired}`,
      };
      if (slots.length === 0)
        return [
          {
            ...base,
            slot: '–',
            task: '',
            node: '',
            state: 'no tasks',
            desired: '',
            since: '',
            health: '',
            faults: [],
          },
        ];
      return slots.map((slot) => {
        const t = slot.current;
        const h = t.containerId ? health[t.containerId] : undefined;
        const exit = exitCell(t);
        return {
          ...base,
          slot: slot.name,
          task: t.id,
          node: host(t.nodeId),
          state: t.state,
          desired: t.desiredState,
          since: new Date(t.stateSince).toISOString(),
          ...(exit ? { exit } : {}),
          // '?': a started container whose health could not be read (its node out of reach).
          health: h
            ? h.status
            : s.hasHealthcheck && (t.state === 'running' || t.state === 'starting')
              ? '?'
              : '–',
          faults: faults
            .filter(
              (f) =>
                f.target.taskId === t.id ||
                (traitsOf(f.kind).onNode && f.target.nodeId === t.nodeId),
            )
            .map(
              (f) =>
                `${f.kind}${f.status !== 'active' ? ` (${f.status})` : ''}${f.owner ? ` (${f.owner})` : ''}`,
            ),
        };
      });
    });
}

interface Column {
  title: string;
  value: (r: StatusTaskRow, now: number) => string;
  /** Dropped first when the terminal is narrow (higher drops first). */
  drop: number;
}

const COLUMNS: Column[] = [
  { title: 'SLOT', value: (r) => r.slot, drop: 0 },
  { title: 'REPLICAS', value: (r) => r.replicas, drop: 3 },
  { title: 'NODE', value: (r) => r.node, drop: 2 },
  {
    title: 'STATE',
    value: (r, now) =>
      r.since
        ? `${stateWithAge({ state: r.state as Task['state'], stateSince: Date.parse(r.since) }, now)}${r.exit ? ` (exit ${r.exit})` : ''}`
        : r.state,
    drop: 0,
  },
  { title: 'HEALTH', value: (r) => r.health, drop: 1 },
  { title: 'FAULTS', value: (r) => r.faults.join(', '), drop: 0 },
  { title: 'TASK', value: (r) => r.task.slice(0, 12), drop: 4 },
];

/** Plain columns like `docker service ps`, dropping the least needed ones to fit `width`. */
export function statusLines(rows: StatusTaskRow[], width: number, now: number): string[] {
  let columns = [...COLUMNS];
  const widthOf = (cols: Column[]) =>
    cols.reduce(
      (sum, c) => sum + Math.max(c.title.length, ...rows.map((r) => c.value(r, now).length)) + 3,
      -3,
    );
  while (widthOf(columns) > width) {
    const worst = columns.reduce((a, b) => (b.drop > a.drop ? b : a));
    if (worst.drop === 0) break;
    columns = columns.filter((c) => c !== worst);
  }
  const widths = columns.map((c) =>
    Math.max(c.title.length, ...rows.map((r) => c.value(r, now).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd()
      .slice(0, width);
  return [
    line(columns.map((c) => c.title)),
    ...rows.map((r) => line(columns.map((c) => c.value(r, now)))),
  ];
}

/**
 * The faults to show: this machine's ledger, and those the swarm holds of other owners (marked
 * with their owner); a fault in both is this machine's.
 */
export function everyOwnersFaults(
  local: FaultRecord[],
  cluster: { record: FaultRecord; owner: string; aliveAt: number }[],
): FaultRecord[] {
  const mine = new Set(local.map((f) => f.id));
  return [
    ...local,
    ...cluster
      .filter((c) => !mine.has(c.record.id))
      .map((c) => ({ ...c.record, owner: c.owner, aliveAt: c.aliveAt })),
  ];
}

/** The service-level JSON of `status --json`. */
export function statusJson(
  services: Service[],
  rows: StatusTaskRow[],
  faults: FaultRecord[],
  nodes: SwarmNode[],
  now = Date.now(),
): Record<string, unknown> {
  return {
    nodes: nodes.map((n) => ({
      hostname: n.hostname,
      role: n.role,
      availability: n.availability,
      ready: n.ready,
      leader: n.leader,
    })),
    services: [...services]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((s) => ({
        name: s.name,
        mode: s.mode,
        desired: s.desired,
        running: s.running,
        image: s.image,
        ports: formatPorts(s.ports),
        healthcheck: s.hasHealthcheck,
        tasks: rows.filter((r) => r.service === s.name && r.task),
      })),
    faults: faults.map((f) => ({
      id: f.id,
      kind: f.kind,
      slot: f.target.slotName,
      task: f.target.taskId,
      node: f.target.nodeName,
      params: f.params,
      appliedAt: new Date(f.appliedAt).toISOString(),
      ...(f.endsAt ? { endsAt: new Date(f.endsAt).toISOString() } : {}),
      status: f.status,
      pid: f.pid,
      ...(f.owner ? { owner: f.owner } : {}),
      ...(f.aliveAt !== undefined
        ? { holderSeen: new Date(f.aliveAt).toISOString(), holderAlive: holderAlive(f, now) }
        : {}),
    })),
  };
}
