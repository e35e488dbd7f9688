import { memo } from 'react';
import { Box } from 'ink';
import { fit, wrap } from '../format/fit.js';
import type { DeckState } from '../store/state.js';
import { useDeck } from './context.js';
import { Line } from './Line.js';

/** The notice's text: the modes the console runs in, then the last action's result. */
export function noticeText(state: Pick<DeckState, 'notice' | 'modes'>): string {
  const { modes, notice } = state;
  const mode = [modes.readOnly ? 'READ-ONLY' : '', modes.dryRun ? 'DRY-RUN' : '']
    .filter(Boolean)
    .join(' ');
  return `${mode ? `[${mode}] ` : ''}${notice?.text ?? ''}`;
}

/** Lines the notice needs at a width, up to `max`: a long message wraps, it is not cut. */
export function noticeRows(state: Pick<DeckState, 'notice' | 'modes'>, width: number, max: number) {
  return Math.max(1, Math.min(max, wrap(noticeText(state), width).length));
}

/** The result of the last action, or the modes the console runs in; wraps onto `rows` lines. */
export const NoticeLine = memo(function NoticeLine({ rows = 1 }: { rows?: number }) {
  const text = useDeck(noticeText);
  const tone = useDeck((s) => s.notice?.tone ?? 'dim');
  const color = useDeck((s) => s.ui.color);
  const width = useDeck((s) => s.ui.size.columns);
  const lines = wrap(text, width, '  ', rows);
  return (
    <Box flexDirection="column" height={rows}>
      {lines.map((line, i) => (
        <Line key={i} text={fit(line, width)} color={color} tone={tone} />
      ))}
    </Box>
  );
});
