import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { KEY_HELP } from './keymap.js';
import { Line, PaneTitle } from './Line.js';

/** The `?` overlay: every key and what it does, in the space of the panes. */
export function HelpOverlay({ height }: { height: number }) {
  const ui = useDeck((s) => s.ui);
  const width = ui.size.columns;
  const keyWidth = Math.max(...KEY_HELP.map((k) => k.keys.length)) + 2;
  const lines = KEY_HELP.map((k) => `  ${fit(k.keys, keyWidth)}${k.action}`);
  lines.push('', '  Esc or ? closes this help.');
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title="Keys" focused width={width} color={ui.color} />
      {lines.slice(0, Math.max(0, height - 1)).map((text, i) => (
        <Line key={i} text={fit(text, width)} color={ui.color} />
      ))}
    </Box>
  );
}
