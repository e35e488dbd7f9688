/**
 * Remembers the last result while the inputs `keyOf` picks are the same objects: every pane asks
 * on every frame and store update, and most of those change nothing it reads.
 */
export function memoOn<A extends unknown[], R>(
  keyOf: (...args: A) => readonly unknown[],
  fn: (...args: A) => R,
): (...args: A) => R {
  let last: { key: readonly unknown[]; value: R } | undefined;
  return (...args: A) => {
    const key = keyOf(...args);
    if (last && key.length === last.key.length && key.every((k, i) => k === last!.key[i]))
      return last.value;
    last = { key, value: fn(...args) };
    return last.value;
  };
}

/** Remembers the last result for the same arguments (compared by identity). */
export function memoLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return memoOn((...args: A) => args, fn);
}
