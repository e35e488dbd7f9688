/** Calls `fn` every `ms` until the returned stop function is called. */
export function startTicker(fn: () => void, ms: number): () => void {
  const timer = setInterval(fn, ms);
  // A ticker alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}

/** Calls `fn` once things have been quiet for `ms`; returns the trigger and a cancel. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): { call: (...args: A) => void; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    call: (...args: A) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    },
    cancel: () => timer && clearTimeout(timer),
  };
}

/**
 * Hands items to `apply` in batches: the first item after a quiet spell at once, the ones that
 * follow within `ms` together at the end of that window. Returns the push and a stop that drops
 * what is pending.
 */
export function batchEvery<T>(
  apply: (items: T[]) => void,
  ms: number,
): { push: (item: T) => void; stop: () => void } {
  let pending: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastAt = -Infinity;
  const flush = () => {
    timer = undefined;
    lastAt = Date.now();
    const items = pending;
    pending = [];
    if (items.length > 0) apply(items);
  };
  return {
    push: (item) => {
      pending.push(item);
      if (timer) return;
      const wait = lastAt + ms - Date.now();
      if (wait <= 0) return flush();
      timer = setTimeout(flush, wait);
      timer.unref();
    },
    stop: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}
