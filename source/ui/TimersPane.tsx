import { Box } from 'ink';
import stringWidth from 'string-width';
import { formatSeconds } from '../domain/duration.js';
import { fit, wrap } from '../format/fit.js';
import { latencyLines } from '../format/latency-lines.js';
import { recoveryLines, type TimerLine } from '../format/recovery-lines.js';
import { taskCauseText } from '../store/selectors.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

/**
 * Timers: the recovery stopwatch (open recoveries ticking, the latest explained, history), the
 * manual stopwatch, and the before / during / after latency table with sparklines.
 */
export function TimersPane({ height, width }: { height: number; width: number }) {
  const recoveries = useDeck((s) => s.recoveries);
  const samples = useDeck((s) => s.samples);
  const windows = useDeck((s) => s.windows);
  const stopwatch = useDeck((s) => s.stopwatch);
  const now = useDeck((s) => s.now);
  const tasks = useDeck((s) => s.tasks);
  const facts = useDeck((s) => s.facts);
  const color = useDeck((s) => s.ui.color);
  const focused = useDeck((s) => s.ui.pane === 'timers');
  const lines: TimerLine[] = [];
  if (stopwatch.lapStart !== undefined) {
    lines.push({
      text: `timing "${stopwatch.action}": ${formatSeconds(Math.max(0, now - stopwatch.lapStart))} (space stops)`,
      tone: 'warn',
    });
  }
  // A recovery is a fault too (a crash, an OOM kill, a kill from elsewhere): tag samples by it.
  const tagged = [
    ...windows,
    ...recoveries.map((r) => ({
      id: r.id,
      label: `recovery ${r.serviceName}`,
      start: r.failedAt,
      ...(r.convergedAt ? { end: r.convergedAt } : {}),
    })),
  ];
  for (const text of latencyLines(samples, tagged, now, width - 2))
    lines.push({ text, tone: 'normal' });
  lines.push(
    ...recoveryLines(recoveries, now, (id) =>
      taskCauseText(
        { facts },
        tasks.find((t) => t.id === id),
      ),
    ),
  );
  const title = `Timers · ${stopwatch.lapStart === undefined ? 'space times' : 'space stops'} "${stopwatch.action}" · l names it`;
  // A breakdown wraps under itself rather than end in "conve…"; the table is fitted already.
  const shown = lines
    .flatMap((l) =>
      stringWidth(l.text) <= width - 2
        ? [{ ...l, text: `  ${l.text}` }]
        : wrap(l.text, width - 2, '    ').map((text) => ({ ...l, text: `  ${text}` })),
    )
    .slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title={title} focused={focused} width={width} color={color} />
      {shown.map((l, i) => (
        <Line key={i} text={fit(l.text, width)} color={color} tone={l.tone} />
      ))}
    </Box>
  );
}
