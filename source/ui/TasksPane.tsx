import { memo } from 'react';
import { Box } from 'ink';
import { isFailure } from '../domain/task-state.js';
import { diedByEvent } from '../domain/task-cause.js';
import type { Task } from '../domain/types.js';
import { fit, scrollMarks, scrollStart } from '../format/fit.js';
import { nodeCell, reachOfNode } from '../format/reach-lines.js';
import { taskLines, usageCells } from '../format/task-rows.js';
import {
  nodeName,
  selectedService,
  selectedSlots,
  selectedTaskRow,
  taskCauseText,
  taskRows,
} from '../store/selectors.js';
import { USAGE_MIN_COLUMNS } from '../console/usage-watch.js';
import { useDeck, type Tone } from './context.js';
import { Lines, PaneTitle } from './Line.js';

function taskTone(task: Task, isCurrent: boolean): Tone {
  if (isFailure(task.state)) return isCurrent ? 'bad' : 'dim';
  if (!isCurrent) return 'dim';
  if (task.state === 'running') return 'good';
  return 'warn';
}

/** The tasks pane for the selected service, grouped by slot like `docker service ps`. */
export const TasksPane = memo(function TasksPane({ height }: { height: number }) {
  const services = useDeck((s) => s.services);
  const tasks = useDeck((s) => s.tasks);
  const nodes = useDeck((s) => s.nodes);
  const ui = useDeck((s) => s.ui);
  const now = useDeck((s) => s.now);
  const facts = useDeck((s) => s.facts);
  const listed = useDeck((s) => s.listed);
  const usage = useDeck((s) => s.usage);
  const reach = useDeck((s) => s.reach);
  const managerNodeId = useDeck((s) => s.engine?.nodeId);

  const width = ui.size.columns;
  const state = { services, tasks, nodes, ui };
  const service = selectedService(state);
  const rows = taskRows(selectedSlots(state));
  // CPU and MEM columns once stats came in for this service's containers.
  const withUsage =
    width >= USAGE_MIN_COLUMNS &&
    rows.some((r) => r.task.containerId !== undefined && usage[r.task.containerId] !== undefined);
  const selectedId = selectedTaskRow(state)?.task.id;
  const focused = ui.pane === 'tasks';
  const bodyHeight = Math.max(0, height - 2);
  const cursor = Math.max(
    0,
    rows.findIndex((r) => r.task.id === selectedId),
  );
  const start = scrollStart(rows.length, cursor, bodyHeight);
  // Only the rows on screen are formatted.
  const shown = rows.slice(start, start + bodyHeight);
  const inputs = shown.map((r) => {
    // The container's die event is ahead of Swarm's task list: show it now, marked as such.
    const early = diedByEvent(r.task, r.task.containerId ? facts[r.task.containerId] : undefined);
    const task = early ?? r.task;
    const cause = taskCauseText({ facts }, task);
    return {
      ...r,
      task,
      nodeName: nodeCell(
        nodeName(state, r.task.nodeId),
        reachOfNode(
          { id: r.task.nodeId, hostname: nodeName(state, r.task.nodeId) },
          managerNodeId,
          reach,
        ),
      ),
      ...(cause ? { cause } : {}),
      ...(early ? { fromEvent: true } : {}),
      ...(withUsage
        ? {
            usage: usageCells(
              r.isCurrent && task.state === 'running' && task.containerId
                ? usage[task.containerId]
                : undefined,
            ),
          }
        : {}),
    };
  });
  const lines = taskLines(inputs, width - 2, now);
  // A paused or rolled-back update stops Swarm from healing the service: say so, with its reason.
  const halted = service?.updateState && /paused|rollback/.test(service.updateState);
  const marks = scrollMarks(start, shown.length, rows.length);
  const title = service
    ? `Tasks of ${service.name} (${rows.length})${marks ? ` · ${marks}` : ''}${halted ? ` · update ${service.updateState}: ${service.updateMessage ?? 'no reason given'}` : ''}`
    : 'Tasks';
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title={title} focused={focused} width={width} color={ui.color} />
      <Lines
        color={ui.color}
        lines={[
          { text: `  ${lines.header}`, tone: 'dim' },
          ...(rows.length === 0
            ? [
                {
                  text: fit(
                    service && listed && !listed.has(service.id)
                      ? '  listing its tasks…'
                      : '  no tasks',
                    width,
                  ),
                  tone: 'dim' as const,
                },
              ]
            : []),
          ...shown.map((row, i) => {
            const selected = start + i === cursor;
            return {
              text: `${selected ? '›' : ' '} ${lines.rows[i]}`,
              tone: taskTone(inputs[i]?.task ?? row.task, row.isCurrent),
              selected: selected && focused,
            };
          }),
        ]}
      />
    </Box>
  );
});
