import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { MIN_SIZE } from './layout.js';
import { Line } from './Line.js';

/** What a terminal below MIN_SIZE shows: its size, what is needed, and the keys that still work. */
export function TooSmall() {
  const ui = useDeck((s) => s.ui);
  const faults = useDeck((s) => s.faults.length);
  const width = ui.size.columns;
  const lines = [
    `terminal ${width}×${ui.size.rows} is too small`,
    `chaosdeck needs ${MIN_SIZE.columns}×${MIN_SIZE.rows}`,
    `active faults: ${faults}`,
    'keys: ! halt · q quit',
  ];
  return (
    <Box flexDirection="column" width={width} height={ui.size.rows} overflow="hidden">
      {lines.slice(0, ui.size.rows).map((text, i) => (
        <Line
          key={i}
          text={fit(text, width)}
          color={ui.color}
          tone={i === 2 && faults > 0 ? 'warn' : 'dim'}
        />
      ))}
    </Box>
  );
}
