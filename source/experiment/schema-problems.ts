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
 * A branch of another kind than the value, not a near miss: its `type` differs, or the value is
 * not even of its JavaScript type (an object where a boolean, number or string would do).
 */
function wrongKind(branch: readonly ZodIssueLike[]): boolean {
  return (
    branch.some((i) => i.code === 'invalid_value' && i.path.at(-1) === 'type') ||
    branch.every(
      (i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_union'),
    )
  );
}

/**
 * Zod's issues as problems. A value that matches no branch of a union (an activity or a `ref`)
 * is explained by the branch of its kind it came closest to (the one with the fewest issues);
 * when no branch is of its kind (an unknown tolerance type), by the union's own message.
 */
export function flatten(issues: readonly ZodIssueLike[], base: readonly PropertyKey[]): Problem[] {
  return issues.flatMap((i) => {
    const path = [...base, ...i.path];
    if (i.code === 'invalid_union' && i.errors?.length) {
      // Branches of another kind say nothing about this value: the union's own words do.
      const near = i.errors.filter((branch) => branch.length && !wrongKind(branch));
      const closest = [...near].sort((a, b) => a.length - b.length)[0];
      if (closest) return flatten(closest, path);
    }
    return [{ path: jsonPath(path), message: i.message }];
  });
}
