import { Box } from 'ink';
import { memo, useMemo } from 'react';
import { fit, wrapParts } from '../format/fit.js';
import type { DeckState } from '../store/deck-store.js';
import { memoOn } from '../store/memo.js';
import { sameLines, useDeckStable, type Tone } from './context.js';
import { Lines, PaneTitle } from './Line.js';
import { timerInputs, timerPaneLines } from './pane-text.js';

/**
 * Timers: the recovery stopwatch (open recoveries ticking, the latest explained, history), the
 * manual stopwatch, and the before / during / after latency table with sparklines.
 */
export const TimersPane = memo(function TimersPane({
  height,
  width,
}: {
  height: number;
  width: number;
}) {
  // Worked out again only when what the lines read changed, not on every store update.
  const linesOf = useMemo(
    () =>
      memoOn(
        (state: DeckState, cells: number, rows: number) => [...timerInputs(state), cells, rows],
        fittedLines,
      ),
    [],
  );
  const view = useDeckStable((state) => {
    const { stopwatch, ui } = state;
    const lines = linesOf(state, width, Math.max(0, height - 1));
    return {
      title: `Timers · ${stopwatch.lapStart === undefined ? 'space times' : 'space stops'} "${stopwatch.action}" · l names it`,
      focused: ui.pane === 'timers',
      color: ui.color,
      lines,
    };
  }, sameView);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title={view.title} focused={view.focused} width={width} color={view.color} />
      <Lines
        color={view.color}
        lines={view.lines.map((l) => ({ text: fit(l.text, width), tone: l.tone }))}
      />
    </Box>
  );
});

type View = {
  title: string;
  focused: boolean;
  color: boolean;
  lines: { text: string; tone?: Tone }[];
};

const sameView = (a: View, b: View) =>
  a.title === b.title &&
  a.focused === b.focused &&
  a.color === b.color &&
  sameLines(a.lines, b.lines);

// A breakdown wraps under itself rather than end in "conve…", between its phases (a label keeps
// its figure); the table is fitted already.
function fittedLines(state: DeckState, width: number, rows: number) {
  return timerPaneLines(state, width - 2)
    .flatMap((l) =>
      wrapParts(l.text, ' · ', width - 2, '    ').map((text) => ({ ...l, text: `  ${text}` })),
    )
    .slice(0, rows);
}
