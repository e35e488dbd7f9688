/** A Python pattern as JavaScript runs it, or why it cannot be run the same. */
export type TranslatedRegex = { source: string; flags: string } | { error: string };

// Python-only syntax with a JavaScript twin, rewritten in place.
const REWRITES: [RegExp, string][] = [
  [/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>'],
  [/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>'],
  [/\\A/g, '^'],
  // Python's \Z is the very end; JavaScript's $ without the m flag is too.
  [/\\Z/g, '$'],
];

// Syntax one language has and the other refuses: found in the pattern as written.
const JAVASCRIPT_ONLY: [RegExp, string][] = [
  [/\(\?<(?![=!])/, 'a named group (?<name>…) is JavaScript syntax; Python writes (?P<name>…)'],
  [/\\k</, 'a back-reference \\k<name> is JavaScript syntax; Python writes (?P=name)'],
  [/\\[pP]\{/, 'a Unicode property \\p{…} is JavaScript syntax; Python re has none'],
];
const PYTHON_ONLY: [RegExp, string][] = [
  [/\(\?\(/, 'a conditional group (?(…)…) has no JavaScript equivalent'],
  [
    /\(\?[aiLmsux]*[xL][aiLmsux]*[):]/,
    'the x (verbose) and L (locale) flags have no JavaScript equivalent',
  ],
];

const FLAG: Record<string, string> = { i: 'i', m: 'm', s: 's', a: '', u: '' };

/**
 * Translates a regex tolerance's pattern from Python's re (what Chaos Toolkit compiles) to
 * JavaScript: named groups and their references, \A and \Z, leading inline flags ((?i), (?ms));
 * what one of the two languages refuses, or has no twin for, is named instead.
 */
export function pythonRegex(pattern: string): TranslatedRegex {
  for (const [re, error] of [...JAVASCRIPT_ONLY, ...PYTHON_ONLY])
    if (re.test(pattern)) return { error };
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([aimsu]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags = [...new Set([...inline[1]!].map((f) => FLAG[f] ?? ''))].join('');
  }
  for (const [re, to] of REWRITES) source = source.replace(re, to);
  try {
    new RegExp(source, flags);
  } catch (error) {
    return { error: `not a valid regular expression (${(error as Error).message})` };
  }
  return { source, flags };
}
