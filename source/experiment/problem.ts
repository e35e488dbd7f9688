/** One thing wrong with an experiment file, at its JSON path ("method[1].provider.action"). */
export interface Problem {
  path: string;
  /** What is wrong, and what is allowed there. */
  message: string;
  /**
   * What the file holds at the path, as written (before substitution: a secret stays
   * `${token}`), when it holds anything there.
   */
  found?: unknown;
}

/** The value at a problem's path ("method[1].provider.action") in a document, if any. */
export function valueAt(doc: unknown, path: string): unknown {
  if (path.startsWith('(')) return undefined;
  let at: unknown = doc;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Each problem with what the file holds where it points. */
export function withFound(problems: Problem[], doc: unknown): Problem[] {
  return problems.map((p) => {
    const found = valueAt(doc, p.path);
    return found === undefined ? p : { ...p, found };
  });
}
