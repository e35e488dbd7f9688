import { Text } from 'ink';
import { toneColor, type Tone } from './context.js';

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
  return (
    <Text
      wrap="truncate-end"
      color={toneColor(color, tone)}
      inverse={color && selected}
      bold={color && bold}
    >
      {text || ' '}
    </Text>
  );
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
