import type { Task } from '../domain/types.js';
import { columnWidths, joinCells, type ColumnSpec } from './fit.js';
import { stateWithAge } from './state-age.js';

const SPECS: ColumnSpec[] = [
  { width: 12, flex: 2 }, // name
  { width: 8, flex: 1 }, // node
  { width: 8 }, // desired
  { width: 17 }, // current + age
  { width: 4, align: 'right' }, // exit code
  { width: 8, flex: 3 }, // error
];

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
  const widths = columnWidths(SPECS, width);
  const header = joinCells(['TASK', 'NODE', 'DESIRED', 'CURRENT', 'EXIT', 'CAUSE'], widths, SPECS);
  const lines = rows.map((r) =>
    joinCells(
      [
        r.isCurrent ? r.slotName : ` \\_ ${r.slotName}`,
        r.nodeName,
        r.task.desiredState,
        stateWithAge(r.task, now),
        exitCell(r.task),
        r.fromEvent ? `event: ${r.cause ?? 'exited'}` : (r.cause ?? r.task.error ?? ''),
      ],
      widths,
      SPECS,
    ),
  );
  return { header, rows: lines };
}
