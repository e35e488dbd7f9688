/** A parsed service filter. */
export type NameFilter =
  | { kind: 'all' }
  | { kind: 'substring'; text: string }
  | { kind: 'regex'; re: RegExp }
  | { kind: 'invalid'; text: string; error: string };

/**
 * Parses what the user typed after `/`: plain text is a case-insensitive substring,
 * `re:` starts a regular expression (like Pumba's `re2:`).
 */
export function parseFilter(input: string): NameFilter {
  if (input.trim() === '') return { kind: 'all' };
  if (input.startsWith('re:')) {
    const source = input.slice(3);
    try {
      return { kind: 'regex', re: new RegExp(source) };
    } catch (error) {
      return { kind: 'invalid', text: source, error: (error as Error).message };
    }
  }
  return { kind: 'substring', text: input.toLowerCase() };
}

/** True when the name passes the filter; an invalid filter hides nothing. */
export function matchesFilter(filter: NameFilter, name: string): boolean {
  switch (filter.kind) {
    case 'all':
    case 'invalid':
      return true;
    case 'substring':
      return name.toLowerCase().includes(filter.text);
    case 'regex':
      return filter.re.test(name);
  }
}
