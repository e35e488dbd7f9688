import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { healthLines, type HealthLine } from '../format/health-lines.js';
import { selectedTaskRow } from '../store/selectors.js';
import type { HealthView } from '../store/deck-store.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

function viewLines(
  view: HealthView | undefined,
  now: number,
  width: number,
  max: number,
  pausedAt?: number,
): HealthLine[] {
  if (!view) return [{ text: 'inspecting…', tone: 'dim' }];
  switch (view.kind) {
    case 'ok':
      return healthLines(view.health, now, width, max, pausedAt);
    case 'remote':
      return [
        {
          text: `runs on node ${view.nodeName}; not reachable from here (give --node ${view.nodeName}=URL)`,
          tone: 'dim',
        },
      ];
    case 'gone':
      return [{ text: 'container is gone (removed by Swarm)', tone: 'dim' }];
    case 'error':
      return [{ text: view.message, tone: 'bad' }];
  }
}

/** The health pane for the selected task's container. */
export function HealthPane({ height, width: paneWidth }: { height: number; width?: number }) {
  const services = useDeck((s) => s.services);
  const tasks = useDeck((s) => s.tasks);
  const nodes = useDeck((s) => s.nodes);
  const ui = useDeck((s) => s.ui);
  const healthMap = useDeck((s) => s.health);
  const now = useDeck((s) => s.now);
  const faults = useDeck((s) => s.faults);
  const width = paneWidth ?? ui.size.columns;
  const task = selectedTaskRow({ services, tasks, nodes, ui })?.task;
  const containerId = task?.containerId;
  const title = containerId ? `Health of ${containerId.slice(0, 12)}` : 'Health';
  const body = Math.max(0, height - 1);
  const lines: HealthLine[] = !task
    ? [{ text: 'no task selected', tone: 'dim' }]
    : !containerId
      ? [{ text: `no container yet (task ${task.state})`, tone: 'dim' }]
      : viewLines(
          healthMap[containerId],
          now,
          width - 2,
          body,
          faults.find((f) => f.kind === 'pause' && f.target.containerId === containerId)?.appliedAt,
        );
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title={title} focused={ui.pane === 'health'} width={width} color={ui.color} />
      {lines.slice(0, body).map((line, i) => (
        <Line key={i} text={fit(`  ${line.text}`, width)} color={ui.color} tone={line.tone} />
      ))}
    </Box>
  );
}
