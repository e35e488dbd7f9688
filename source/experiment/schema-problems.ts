import type { Problem } from './problem.js';

/** "method[1].provider.action" from zod's path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

interface ZodIssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  errors?: ZodIssueLike[][];
}

/**
 * Zod's issues as problems. A value that matches no branch of a union (an activity or a `ref`)
 * is explained by the branch it came closest to (the one with the fewest issues), not by
 * "Invalid input".
 */
export function flatten(issues: readonly ZodIssueLike[], base: readonly PropertyKey[]): Problem[] {
  return issues.flatMap((i) => {
    const path = [...base, ...i.path];
    if (i.code === 'invalid_union' && i.errors?.length) {
      const closest = [...i.errors].sort((a, b) => a.length - b.length)[0]!;
      if (closest.length) return flatten(closest, path);
    }
    return [{ path: jsonPath(path), message: i.message }];
  });
}
