import { parseFilter } from '../domain/filter.js';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { KEY_HELP } from './keymap.js';
import { Line } from './Line.js';

/** The footer: the filter being typed, or the keys that work in the focused pane. */
export function Footer() {
  const ui = useDeck((s) => s.ui);
  const readOnly = useDeck((s) => s.modes.readOnly);
  const width = ui.size.columns;
  if (ui.filterDraft !== undefined) {
    const parsed = parseFilter(ui.filterDraft);
    const hint =
      parsed.kind === 'invalid'
        ? `not a regex (${parsed.error}): nothing is filtered · Esc clear`
        : 'Enter keep · Esc clear · re: for a regex';
    return (
      <Line
        text={fit(`/${ui.filterDraft}█  ${hint}`, width)}
        color={ui.color}
        tone={parsed.kind === 'invalid' ? 'bad' : 'accent'}
      />
    );
  }
  if (ui.noteDraft !== undefined) {
    return (
      <Line
        text={fit(`note: ${ui.noteDraft}█  Enter adds it to the journal · Esc drops it`, width)}
        color={ui.color}
        tone="accent"
      />
    );
  }
  const label = (k: (typeof KEY_HELP)[number]) => `${k.keys.split(' ')[0]} ${k.short}`;
  // Help and quit always show; the pane's own keys get what is left.
  const always = KEY_HELP.filter((k) => k.short === 'help' || k.short === 'quit');
  const tail = always.map(label).join(' · ');
  const keys = KEY_HELP.filter(
    (k) =>
      !always.includes(k) &&
      !(readOnly && k.fault) &&
      (k.panes.includes(ui.pane) || k.panes.includes('all')),
  )
    // Where a task is selected, what can be done to it comes before how to move around.
    .sort((a, b) => Number(Boolean(b.fault)) - Number(Boolean(a.fault)))
    .map(label)
    .join(' · ');
  const head = fit(keys, Math.max(0, width - tail.length - 3)).trimEnd();
  return <Line text={fit(`${head} · ${tail}`, width)} color={ui.color} tone="dim" />;
}
