import { Box } from 'ink';
import { fit, truncate, wrap } from '../format/fit.js';
import { selectedTaskRow } from '../store/selectors.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';
import { healthPaneLines } from './pane-text.js';

/** The health pane for the selected task's container. */
export function HealthPane({ height, width: paneWidth }: { height: number; width?: number }) {
  const state = useDeck((s) => s);
  const ui = state.ui;
  const width = paneWidth ?? ui.size.columns;
  const containerId = selectedTaskRow(state)?.task.containerId;
  const title = containerId ? `Health of ${containerId.slice(0, 12)}` : 'Health';
  const body = Math.max(0, height - 1);
  // A status or an error wraps; probe outputs are the container's own and are cut.
  const lines = healthPaneLines(state, Number.MAX_SAFE_INTEGER, body).flatMap((l) =>
    l.wrap
      ? wrap(l.text, width - 2, '  ', 3).map((text) => ({ ...l, text }))
      : [{ ...l, text: truncate(l.text, width - 2) }],
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
