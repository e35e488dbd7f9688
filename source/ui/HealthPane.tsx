import { Box } from 'ink';
import { memo, useMemo } from 'react';
import { fit, truncate, wrap } from '../format/fit.js';
import type { DeckState } from '../store/deck-store.js';
import { memoOn } from '../store/memo.js';
import { selectedTaskRow } from '../store/selectors.js';
import { sameLines, useDeckStable, type Tone } from './context.js';
import { Lines, PaneTitle } from './Line.js';
import { healthInputs, healthPaneLines } from './pane-text.js';

/** The health pane for the selected task's container. */
export const HealthPane = memo(function HealthPane({
  height,
  width: paneWidth,
}: {
  height: number;
  width?: number;
}) {
  const body = Math.max(0, height - 1);
  // Worked out again only when what the lines read changed, not on every store update.
  const linesOf = useMemo(
    () =>
      memoOn(
        (state: DeckState, width: number, rows: number) => [...healthInputs(state), width, rows],
        fittedLines,
      ),
    [],
  );
  const view = useDeckStable((state) => {
    const ui = state.ui;
    const width = paneWidth ?? ui.size.columns;
    const containerId = selectedTaskRow(state)?.task.containerId;
    const lines = linesOf(state, width, body);
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
      <Lines
        color={color}
        lines={view.lines.map((line) => ({ text: fit(`  ${line.text}`, width), tone: line.tone }))}
      />
    </Box>
  );
});

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

// A status or an error wraps; probe outputs are the container's own and are cut.
function fittedLines(state: DeckState, width: number, rows: number) {
  return healthPaneLines(state, Number.MAX_SAFE_INTEGER, rows)
    .flatMap((l) =>
      l.wrap
        ? wrap(l.text, width - 2, '  ', 3).map((text) => ({ ...l, text }))
        : [{ ...l, text: truncate(l.text, width - 2) }],
    )
    .slice(0, rows);
}
