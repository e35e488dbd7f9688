import { Box } from 'ink';
import { fit, scrollMarks, wrap } from '../format/fit.js';
import { useDeck } from './context.js';
import { KEY_HELP } from './key-help.js';
import { Line, PaneTitle } from './Line.js';

/**
 * The help's lines at a width: one key a line, its description wrapped under itself where the
 * width is short (80 columns), so nothing is cut; the overlay scrolls them.
 */
export function helpLines(width: number, readOnly: boolean): string[] {
  const keys = KEY_HELP.filter((k) => !(readOnly && k.fault));
  const keyWidth = Math.max(...keys.map((k) => k.keys.length)) + 2;
  const lines = keys.flatMap((k) => {
    const [first = '', ...rest] = wrap(k.action, Math.max(10, width - keyWidth - 3));
    return [
      `  ${fit(k.keys, keyWidth)}${first}`,
      ...rest.map((r) => `  ${' '.repeat(keyWidth)}${r}`),
    ];
  });
  if (readOnly) lines.push('  Read-only: fault keys are off.');
  return lines;
}

/** The `?` overlay: every key and what it does, one column, scrolling with j/k and the arrows. */
export function HelpOverlay({ height }: { height: number }) {
  const ui = useDeck((s) => s.ui);
  const readOnly = useDeck((s) => s.modes.readOnly);
  const width = ui.size.columns;
  const lines = helpLines(width, readOnly);
  // A title and a closing line; the keys get the rest.
  const rows = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(ui.helpTop, lines.length - rows));
  const shown = lines.slice(top, top + rows);
  const marks = scrollMarks(top, shown.length, lines.length);
  const closing = `  Esc, ? or q closes this help${marks ? ` · j/k scroll · ${marks}` : ''}`;
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title="Keys" focused width={width} color={ui.color} />
      {shown.map((text, i) => (
        <Line key={i} text={fit(text, width)} color={ui.color} />
      ))}
      <Line text={fit(closing, width)} color={ui.color} tone="accent" />
    </Box>
  );
}
