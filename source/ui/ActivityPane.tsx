import { memo } from 'react';
import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

/** The latest audit entries, newest first. */
export const ActivityPane = memo(function ActivityPane({
  height,
  width,
}: {
  height: number;
  width: number;
}) {
  const activity = useDeck((s) => s.activity);
  const color = useDeck((s) => s.ui.color);
  const focused = useDeck((s) => s.ui.pane === 'activity');
  const shown = [...activity].reverse().slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title="Activity" focused={focused} width={width} color={color} />
      {shown.length === 0 ? (
        <Line text={fit('  nothing done yet', width)} color={color} tone="dim" />
      ) : null}
      {shown.map((e, i) => (
        <Line
          key={`${e.time}-${i}`}
          text={fit(
            `  ${e.time.slice(11, 19)} ${e.result.padEnd(7)} ${e.action} ${e.target ?? ''}${e.error ? ` – ${e.error}` : ''}`,
            width,
          )}
          color={color}
          tone={e.result === 'failed' ? 'bad' : e.result === 'ok' ? 'normal' : 'dim'}
        />
      ))}
    </Box>
  );
});
