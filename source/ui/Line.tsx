import { Text } from 'ink';
import { toneCode, type Tone } from './context.js';

/** Props of one screen line. */
export interface LineProps {
  text: string;
  color: boolean;
  tone?: Tone;
  selected?: boolean;
  bold?: boolean;
}

/** One line of the screen; never wraps (pre-fitted text, truncated as a guard). */
export function Line({ text, color, tone = 'normal', selected = false, bold = false }: LineProps) {
  return <Text wrap="truncate-end">{styled({ text, tone, selected, bold }, color)}</Text>;
}

/** One line of several drawn as one text (see Lines). */
export interface StyledLine {
  text: string;
  tone?: Tone | undefined;
  selected?: boolean;
  bold?: boolean;
}

// The codes Ink's Text writes for colour, bold and inverse (through chalk), in its order; written
// here so that one setting decides colour (--no-color, NO_COLOR, TERM=dumb) for every line.
function styled(line: StyledLine, color: boolean): string {
  let text = line.text || ' ';
  if (!color) return text;
  const code = toneCode(line.tone ?? 'normal');
  if (code !== undefined) text = `\u001B[${code}m${text}\u001B[39m`;
  if (line.bold) text = `\u001B[1m${text}\u001B[22m`;
  if (line.selected) text = `\u001B[7m${text}\u001B[27m`;
  return text;
}

/**
 * Lines as one Ink text, each styled as Line styles it. Ink lays out, styles and draws every text
 * node on every frame, whichever changed: a pane of 20 rows as 20 nodes cost 20 times one. The
 * lines must fit the pane (they are pre-fitted, as Line's are).
 */
export function Lines({ lines, color }: { lines: readonly StyledLine[]; color: boolean }) {
  if (lines.length === 0) return null;
  return <Text>{lines.map((l) => styled(l, color)).join('\n')}</Text>;
}

/** A pane's title line: "▸ Services (4) ───", the marker on the focused pane. */
export function PaneTitle({
  title,
  focused,
  width,
  color,
}: {
  title: string;
  focused: boolean;
  width: number;
  color: boolean;
}) {
  const head = `${focused ? '▸' : ' '} ${title} `;
  const rule = '─'.repeat(Math.max(0, width - head.length));
  return (
    <Line
      text={(head + rule).slice(0, width)}
      color={color}
      tone={focused ? 'accent' : 'dim'}
      bold={focused}
    />
  );
}
