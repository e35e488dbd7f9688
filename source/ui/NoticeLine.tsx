import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { Line } from './Line.js';

/** The result of the last action, or the modes the console runs in. */
export function NoticeLine() {
  const notice = useDeck((s) => s.notice);
  const modes = useDeck((s) => s.modes);
  const color = useDeck((s) => s.ui.color);
  const width = useDeck((s) => s.ui.size.columns);
  const mode = [modes.readOnly ? 'READ-ONLY' : '', modes.dryRun ? 'DRY-RUN' : '']
    .filter(Boolean)
    .join(' ');
  const text = `${mode ? `[${mode}] ` : ''}${notice?.text ?? ''}`;
  return <Line text={fit(text, width)} color={color} tone={notice?.tone ?? 'dim'} />;
}
