import { Box } from 'ink';
import { fit, truncate, wrap } from '../format/fit.js';
import { selectedTaskRow } from '../store/selectors.js';
import { sameLines, useDeckStable, type Tone } from './context.js';
import { Line, PaneTitle } from './Line.js';
import { healthPaneLines } from './pane-text.js';

/** The health pane for the selected task's container. */
export function HealthPane({ height, width: paneWidth }: { height: number; width?: number }) {
  const body = Math.max(0, height - 1);
  const view = useDeckStable((state) => {
    const ui = state.ui;
    const width = paneWidth ?? ui.size.columns;
    const containerId = selectedTaskRow(state)?.task.containerId;
    // A status or an error wraps; probe outputs are the container's own and are cut.
    const lines = healthPaneLines(state, Number.MAX_SAFE_INTEGER, body)
      .flatMap((l) =>
        l.wrap
          ? wrap(l.text, width - 2, '  ', 3).map((text) => ({ ...l, text }))
          : [{ ...l, text: truncate(l.text, width - 2) }],
      )
      .slice(0, body);
    return {
      title: containerId ? `Health of ${containerId.slice(0, 12)}` : 'Health',
      focused: ui.pane === 'health',
      color: ui.color,
      width,
      lines,
    };
  }, sameView);
  const { width, color } = view;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title={view.title} focused={view.focused} width={width} color={color} />
      {view.lines.map((line, i) => (
        <Line key={i} text={fit(`  ${line.text}`, width)} color={color} tone={line.tone} />
      ))}
    </Box>
  );
}

type View = {
  title: string;
  focused: boolean;
  color: boolean;
  width: number;
  lines: { text: string; tone?: Tone }[];
};

const sameView = (a: View, b: View) =>
  a.title === b.title &&
  a.focused === b.focused &&
  a.color === b.color &&
  a.width === b.width &&
  sameLines(a.lines, b.lines);
