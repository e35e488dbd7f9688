import stringWidth from 'string-width';

const ELLIPSIS = '…';

/** Cuts text to at most `width` terminal cells, ending in "…" when cut. Newlines become spaces. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  if (width <= 0) return '';
  if (stringWidth(flat) <= width) return flat;
  if (width === 1) return ELLIPSIS;
  let out = '';
  let used = 0;
  for (const ch of flat) {
    const w = stringWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + ELLIPSIS;
}

/** Truncates and pads to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

/**
 * Breaks text into lines of at most `width` cells at spaces (a word longer than a line is cut
 * into pieces); `indent` starts every line after the first. Never more than `maxLines` lines:
 * the last one then ends in "…".
 */
export function wrap(text: string, width: number, indent = '', maxLines = Infinity): string[] {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length > 0 ? stringWidth(indent) : 0);
  const push = () => {
    lines.push((lines.length > 0 ? indent : '') + line);
    line = '';
  };
  for (const word of flat.split(/ +/)) {
    if (!word) continue;
    const candidate = line ? `${line} ${word}` : word;
    if (stringWidth(candidate) <= room()) {
      line = candidate;
      continue;
    }
    if (line) push();
    let rest = word;
    while (stringWidth(rest) > room()) {
      let piece = '';
      for (const ch of rest) {
        if (stringWidth(piece + ch) > room()) break;
        piece += ch;
      }
      if (!piece) break;
      line = piece;
      push();
      rest = rest.slice(piece.length);
    }
    line = rest;
  }
  if (line || lines.length === 0) push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const rest = lines.slice(maxLines).map((l) => l.trim());
  kept[maxLines - 1] = truncate([kept[maxLines - 1], ...rest].join(' '), width);
  return kept;
}

/** First index of a window of `height` rows that keeps `cursor` visible, centred when possible. */
export function scrollStart(length: number, cursor: number, height: number): number {
  if (length <= height || height <= 0) return 0;
  const ideal = cursor - Math.floor(height / 2);
  return Math.max(0, Math.min(length - height, ideal));
}

/** Scroll markers for a list showing `shown` rows from `start` of `total`: "↑ 3 more · ↓ 12 more". */
export function scrollMarks(start: number, shown: number, total: number): string {
  const below = Math.max(0, total - start - shown);
  return [start > 0 ? `↑ ${start} more` : '', below > 0 ? `↓ ${below} more` : '']
    .filter(Boolean)
    .join(' · ');
}

/**
 * Like `wrap`, but breaks only between the parts `separator` joins ("created +0.1s · started
 * +5.6s"), so a label and its figure stay together; the separator's mark ends the line it breaks.
 * Where a part cannot have a line of its own, the whole text is wrapped at spaces.
 */
export function wrapParts(text: string, separator: string, width: number, indent = ''): string[] {
  if (width <= 0) return [];
  const mark = separator.trimEnd();
  const lines: string[] = [];
  let line = '';
  const parts = text.split(separator);
  for (const [i, part] of parts.entries()) {
    const tail = i < parts.length - 1 ? mark : '';
    const candidate = line ? `${line}${separator}${part}` : part;
    const lead = lines.length > 0 ? indent : '';
    if (stringWidth(lead + candidate + tail) <= width) {
      line = candidate;
      continue;
    }
    if (!line || stringWidth(indent + part + tail) > width) return wrap(text, width, indent);
    lines.push(lead + line + mark);
    line = part;
  }
  lines.push((lines.length > 0 ? indent : '') + line);
  return lines;
}
