import { Text } from 'ink';
import { paint, type Tone } from './context.js';

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

function styled(line: StyledLine, color: boolean): string {
  const text = line.text || ' ';
  if (!color) return text;
  return paint(text, line.tone ?? 'normal', {
    bold: line.bold ?? false,
    inverse: line.selected ?? false,
  });
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
