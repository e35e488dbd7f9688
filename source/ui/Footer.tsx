import { memo } from 'react';
import { parseFilter } from '../domain/filter.js';
import { commandHint } from '../store/command-line.js';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { KEY_HELP } from './key-help.js';
import { FieldLine } from './FieldLine.js';
import { Line } from './Line.js';

/** The footer: the text field being typed in, or the keys that work in the focused pane. */
export const Footer = memo(function Footer() {
  const ui = useDeck((s) => s.ui);
  const readOnly = useDeck((s) => s.modes.readOnly);
  const logsOpen = useDeck((s) => s.logs !== undefined);
  const width = ui.size.columns;
  const line = { width, color: ui.color };
  const field = ui.field;
  if (field?.purpose === 'filter') {
    const parsed = parseFilter(field.text);
    const hint =
      parsed.kind === 'invalid'
        ? `not a regex (${parsed.error}): nothing is filtered · Esc clear`
        : 'Enter keep · Esc clear · re: for a regex';
    const tone = parsed.kind === 'invalid' ? 'bad' : 'accent';
    return <FieldLine prefix="/" field={field} hint={hint} tone={tone} {...line} />;
  }
  if (field?.purpose === 'note') {
    const hint = 'Enter adds it to the journal · Esc drops it';
    return <FieldLine prefix="note: " field={field} hint={hint} {...line} />;
  }
  if (field?.purpose === 'name') {
    const hint = 'Enter names the timed action · Esc keeps the old name';
    return <FieldLine prefix="action name: " field={field} hint={hint} {...line} />;
  }
  if (field?.purpose === 'search') {
    const hint = 'Enter finds the latest line with it · Esc keeps the old search';
    return <FieldLine prefix="search logs: " field={field} hint={hint} {...line} />;
  }
  if (field?.purpose === 'command') {
    const hint = `Tab completes${ui.history.length ? ' · ↑/↓ earlier lines' : ''} · Enter runs · Esc cancels`;
    const suggestion = commandHint(field.text);
    return <FieldLine prefix=":" field={field} suggestion={suggestion} hint={hint} {...line} />;
  }
  if (logsOpen) {
    const text =
      'j/k ↑/↓ scroll · PgUp/PgDn page · g/G top/end (follow) · / search · Esc back · Ctrl-C quit';
    return <Line text={fit(text, width)} color={ui.color} tone="dim" />;
  }
  if (ui.help) {
    const text = 'j/k ↑/↓ scroll · PgUp/PgDn page · Esc, ? or q close · Ctrl-C quit';
    return <Line text={fit(text, width)} color={ui.color} tone="dim" />;
  }
  const label = (k: (typeof KEY_HELP)[number]) => `${k.keys.split(' ')[0]} ${k.short}`;
  // Help and quit always show; the pane's own keys get what is left, whole or not at all.
  const always = KEY_HELP.filter((k) => k.short === 'help' || k.short === 'quit');
  const tail = always.map(label).join(' · ');
  const labels = KEY_HELP.filter(
    (k) =>
      !always.includes(k) &&
      !(readOnly && k.fault) &&
      (k.panes.includes(ui.pane) || k.panes.includes('all')),
  )
    // Where a task is selected, what can be done to it comes before how to move around.
    .sort((a, b) => Number(Boolean(b.fault)) - Number(Boolean(a.fault)))
    .map(label);
  let head = '';
  for (const l of labels) {
    const next = head ? `${head} · ${l}` : l;
    if (next.length + tail.length + 3 > width) break;
    head = next;
  }
  return <Line text={fit(head ? `${head} · ${tail}` : tail, width)} color={ui.color} tone="dim" />;
});
