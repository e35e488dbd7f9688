import { Text } from 'ink';
import stringWidth from 'string-width';
import { truncate } from '../format/fit.js';
import { fieldParts, type TextField } from '../store/text-field.js';
import { paint, type Tone } from './context.js';

/** Props of a text field's line. */
export interface FieldLineProps {
  /** What the field is ("/", "note: ", "> "). */
  prefix: string;
  field: TextField;
  /** Shown dim after the text: the completion's rest, a usage. */
  suggestion?: string;
  /** Shown after it all when there is room: what Enter and Esc do. */
  hint?: string;
  width: number;
  color: boolean;
  tone?: Tone;
}

/**
 * One line holding a text field: the cursor drawn in inverse (a █ without colour), a selected
 * default in inverse whole; the text scrolls left to keep the cursor on screen; the hint goes
 * first when the line is short.
 */
export function FieldLine({
  prefix,
  field,
  suggestion = '',
  hint = '',
  width,
  color,
  tone = 'accent',
}: FieldLineProps) {
  const { at, after } = fieldParts(field);
  let { before } = fieldParts(field);
  const cursorCell = at || ' ';
  // Room for the text and its cursor; the suggestion and hint take only what is left.
  const room = Math.max(1, width - stringWidth(prefix) - stringWidth(cursorCell));
  while (stringWidth(before) > room && before.length > 0) before = [...before].slice(1).join('');
  let rest = width - stringWidth(prefix) - stringWidth(before) - stringWidth(cursorCell);
  const tail = truncate(after, Math.max(0, rest));
  rest -= stringWidth(tail);
  const hinted = suggestion;
  const shownSuggestion = stringWidth(hinted) <= rest ? hinted : '';
  rest -= stringWidth(shownSuggestion);
  const shownHint = hint && stringWidth(hint) + 2 <= rest ? `  ${hint}` : '';
  if (!color) {
    return (
      <Text wrap="truncate-end">
        {`${prefix}${before}█${at}${after}`.slice(0, width + 1)}
        {shownSuggestion}
        {shownHint}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      {paint(prefix, tone)}
      {paint(before, tone, { inverse: field.selected })}
      {paint(cursorCell, tone, { inverse: !field.selected })}
      {paint(tail, tone)}
      {paint(shownSuggestion, 'dim')}
      {paint(shownHint, 'dim')}
    </Text>
  );
}
