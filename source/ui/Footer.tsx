import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { KEY_HELP } from './keymap.js';
import { Line } from './Line.js';

/** The footer: the filter being typed, or the keys that work in the focused pane. */
export function Footer() {
  const ui = useDeck((s) => s.ui);
  const width = ui.size.columns;
  if (ui.filterDraft !== undefined) {
    return (
      <Line
        text={fit(`/${ui.filterDraft}█  Enter keep · Esc clear · re: for a regex`, width)}
        color={ui.color}
        tone="accent"
      />
    );
  }
  const keys = KEY_HELP.filter((k) => k.panes.includes(ui.pane) || k.panes.includes('all'))
    .map((k) => `${k.keys.split(' ')[0]} ${k.short}`)
    .join(' · ');
  return <Line text={fit(keys, width)} color={ui.color} tone="dim" />;
}
