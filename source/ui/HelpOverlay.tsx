import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { KEY_HELP } from './keymap.js';
import { Line, PaneTitle } from './Line.js';

/** The `?` overlay: every key and what it does; two columns when one does not fit the height. */
export function HelpOverlay({ height }: { height: number }) {
  const ui = useDeck((s) => s.ui);
  const readOnly = useDeck((s) => s.modes.readOnly);
  const width = ui.size.columns;
  const keys = KEY_HELP.filter((k) => !(readOnly && k.fault));
  const keyWidth = Math.max(...keys.map((k) => k.keys.length)) + 2;
  const entries = keys.map((k) => `${fit(k.keys, keyWidth)}${k.action}`);
  const rows = Math.max(1, height - 2);
  const columns = entries.length > rows ? 2 : 1;
  const perColumn = Math.ceil(entries.length / columns);
  const colWidth = Math.floor((width - 2) / columns);
  const lines: string[] = [];
  for (let r = 0; r < perColumn; r++) {
    let line = ' ';
    for (let c = 0; c < columns; c++)
      line += ` ${fit(entries[c * perColumn + r] ?? '', colWidth - 1)}`;
    lines.push(line);
  }
  lines.push(`  Esc or ? closes this help.${readOnly ? ' Read-only: fault keys are off.' : ''}`);
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title="Keys" focused width={width} color={ui.color} />
      {lines.slice(0, Math.max(0, height - 1)).map((text, i) => (
        <Line key={i} text={fit(text, width)} color={ui.color} />
      ))}
    </Box>
  );
}
