import type { ContainerUsage, Task } from '../domain/types.js';
import { contentWidths, joinCells, type ColumnSpec } from './columns.js';
import { stateWithAge } from './state-age.js';

const SPECS: ColumnSpec[] = [
  { width: 4, flex: 2 }, // name (as wide as the names on screen)
  { width: 4, flex: 1 }, // node
  { width: 8 }, // desired
  { width: 14, flex: 1 }, // current + age
  { width: 4, align: 'right' }, // exit code
  { width: 8, flex: 3 }, // error
];

// With stats shown, CPU and MEM sit before the cause.
const SPECS_WITH_USAGE: ColumnSpec[] = [
  ...SPECS.slice(0, 5),
  { width: 5, align: 'right' }, // cpu
  { width: 9, align: 'right' }, // mem
  SPECS[5]!,
];

const MIB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= 1024 * MIB
    ? `${(bytes / 1024 / MIB).toFixed(1)}G`
    : bytes < 10 * MIB
      ? `${(bytes / MIB).toFixed(1)}M`
      : `${Math.round(bytes / MIB)}M`;

/**
 * A task's CPU and MEM cells: "0.3%", "12%"; "12M", or "12M/128M" under a limit (a squeeze
 * shows how close it is). Rounded so that an idle container's cells stay the same.
 */
export function usageCells(u: ContainerUsage | undefined): { cpu: string; mem: string } {
  if (!u) return { cpu: '', mem: '' };
  const p = u.cpuPercent;
  const cpu =
    p === undefined ? '' : p < 0.05 ? '0%' : p < 10 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
  const mem = u.memoryLimit ? `${size(u.memoryBytes)}/${size(u.memoryLimit)}` : size(u.memoryBytes);
  return { cpu, mem };
}

/** What a task row needs beyond the task. */
export interface TaskLineInput {
  task: Task;
  slotName: string;
  isCurrent: boolean;
  nodeName: string;
  /** Why it ended, when known ("OOM killed"): shown instead of Swarm's raw error. */
  cause?: string;
  /**
   * The state comes from the container's event; Swarm's task list has not said it yet (the
   * cause reads "event: …" until it does).
   */
  fromEvent?: boolean;
  /** CPU and MEM cells of a running task's container, while stats are shown. */
  usage?: { cpu: string; mem: string };
}

/** The exit code cell: blank while a container never ran or still runs. */
export function exitCell(task: Task): string {
  if (task.exitCode === undefined || task.state === 'running') return '';
  return String(task.exitCode);
}

/**
 * Builds the tasks pane like `docker service ps`: the current task of each slot, earlier ones
 * indented under it with "\_".
 */
export function taskLines(
  rows: TaskLineInput[],
  width: number,
  now: number,
): { header: string; rows: string[] } {
  const withUsage = rows.some((r) => r.usage);
  const specs = withUsage ? SPECS_WITH_USAGE : SPECS;
  const titles = ['TASK', 'NODE', 'DESIRED', 'CURRENT', 'EXIT', 'CAUSE'];
  if (withUsage) titles.splice(5, 0, 'CPU', 'MEM');
  const cells = rows.map((r) => {
    const row = [
      r.isCurrent ? r.slotName : ` \\_ ${r.slotName}`,
      r.nodeName,
      r.task.desiredState,
      stateWithAge(r.task, now),
      exitCell(r.task),
      r.fromEvent ? `event: ${r.cause ?? 'exited'}` : (r.cause ?? r.task.error ?? ''),
    ];
    if (withUsage) row.splice(5, 0, r.usage?.cpu ?? '', r.usage?.mem ?? '');
    return row;
  });
  // Task and node columns as wide as their names, the cause gets the rest (Swarm's errors are long).
  const widths = contentWidths(specs, width, [titles, ...cells]);
  const header = joinCells(titles, widths, specs);
  const lines = cells.map((row) => joinCells(row, widths, specs));
  return { header, rows: lines };
}
