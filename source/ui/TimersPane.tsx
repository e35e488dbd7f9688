import { Box } from 'ink';
import stringWidth from 'string-width';
import { fit, wrap } from '../format/fit.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';
import { timerPaneLines } from './pane-text.js';

/**
 * Timers: the recovery stopwatch (open recoveries ticking, the latest explained, history), the
 * manual stopwatch, and the before / during / after latency table with sparklines.
 */
export function TimersPane({ height, width }: { height: number; width: number }) {
  const state = useDeck((s) => s);
  const { stopwatch, ui } = state;
  const lines = timerPaneLines(state, width - 2);
  const title = `Timers · ${stopwatch.lapStart === undefined ? 'space times' : 'space stops'} "${stopwatch.action}" · l names it`;
  // A breakdown wraps under itself rather than end in "conve…"; the table is fitted already.
  const shown = lines
    .flatMap((l) =>
      stringWidth(l.text) <= width - 2
        ? [{ ...l, text: `  ${l.text}` }]
        : wrap(l.text, width - 2, '    ').map((text) => ({ ...l, text: `  ${text}` })),
    )
    .slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title={title} focused={ui.pane === 'timers'} width={width} color={ui.color} />
      {shown.map((l, i) => (
        <Line key={i} text={fit(l.text, width)} color={ui.color} tone={l.tone} />
      ))}
    </Box>
  );
}
