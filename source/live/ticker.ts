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
