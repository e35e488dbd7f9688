import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

/** Lines of the logs view that show log lines (the title and the end line take the rest). */
export function logRows(height: number): number {
  return Math.max(1, height - 2);
}

/**
 * The logs of the selected task's container (`L`): the last lines, following what it prints
 * unless scrolled back; lines with the search text marked; scroll markers in the title.
 */
export function LogsPane({ height }: { height: number }) {
  const logs = useDeck((s) => s.logs);
  const color = useDeck((s) => s.ui.color);
  const width = useDeck((s) => s.ui.size.columns);
  if (!logs) return null;
  const rows = logRows(height);
  const last = Math.max(0, logs.lines.length - rows);
  const top = Math.min(logs.top ?? last, last);
  const shown = logs.lines.slice(top, top + rows);
  const below = logs.lines.length - top - shown.length;
  const needle = logs.search.toLowerCase();
  const matches = needle
    ? logs.lines.filter((l) => l.text.toLowerCase().includes(needle)).length
    : 0;
  const where = [
    top > 0 ? `↑ ${top} more` : '',
    below > 0 ? `↓ ${below} more` : logs.top === undefined ? 'following' : '',
    needle ? `"${logs.search}": ${matches} line${matches === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const title = `Logs of ${logs.slotName} (container ${logs.containerId.slice(0, 12)})${where ? ` · ${where}` : ''}`;
  const end = logs.ended
    ? {
        text: logs.ended.error
          ? `✗ ${logs.ended.error}`
          : '— the stream ended: the container stopped',
        tone: logs.ended.error ? ('bad' as const) : ('dim' as const),
      }
    : {
        text: 'j/k scroll · g/G top/end (follow) · / search · Esc back',
        tone: 'dim' as const,
      };
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title={title} focused width={width} color={color} />
      {shown.length === 0 && !logs.ended ? (
        <Line text={fit('  (no output yet)', width)} color={color} tone="dim" />
      ) : null}
      {shown.map((l, i) => {
        const hit = needle !== '' && l.text.toLowerCase().includes(needle);
        return (
          <Line
            key={top + i}
            text={fit(`${hit ? '›' : ' '} ${l.text}`, width)}
            color={color}
            tone={l.stream === 'stderr' ? 'warn' : 'normal'}
            selected={hit}
          />
        );
      })}
      <Box flexGrow={1} />
      <Line text={fit(`  ${end.text}`, width)} color={color} tone={end.tone} />
    </Box>
  );
}
