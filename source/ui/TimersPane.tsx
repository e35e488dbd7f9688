import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { recoveryLines } from '../format/recovery-lines.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

/** Recovery stopwatch: open recoveries ticking, the latest breakdown explained, per-service history. */
export function TimersPane({ height, width }: { height: number; width: number }) {
  const recoveries = useDeck((s) => s.recoveries);
  const now = useDeck((s) => s.now);
  const color = useDeck((s) => s.ui.color);
  const focused = useDeck((s) => s.ui.pane === 'timers');
  const lines = recoveryLines(recoveries, now);
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title="Timers · recovery" focused={focused} width={width} color={color} />
      {lines.slice(0, Math.max(0, height - 1)).map((l, i) => (
        <Line key={i} text={fit(`  ${l.text}`, width)} color={color} tone={l.tone} />
      ))}
    </Box>
  );
}
