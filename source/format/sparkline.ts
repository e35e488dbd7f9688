import type { FaultWindow, LatencySample } from '../domain/latency.js';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of the last `spanMs` of one probe: `width` buckets, each the worst latency in it;
 * "×" for a bucket with an error, " " for one without samples.
 */
export function sparkline(
  samples: LatencySample[],
  now: number,
  width: number,
  spanMs = 60_000,
): string {
  const start = now - spanMs;
  const buckets: { max: number; error: boolean; any: boolean }[] = Array.from(
    { length: width },
    () => ({ max: 0, error: false, any: false }),
  );
  for (const s of samples) {
    if (s.at < start || s.at > now) continue;
    const i = Math.min(width - 1, Math.floor(((s.at - start) / spanMs) * width));
    const b = buckets[i]!;
    b.any = true;
    if (!s.ok) b.error = true;
    else b.max = Math.max(b.max, s.ms);
  }
  const top = Math.max(1, ...buckets.map((b) => b.max));
  return buckets
    .map((b) =>
      b.error
        ? '×'
        : !b.any
          ? ' '
          : BARS[Math.min(BARS.length - 1, Math.floor((b.max / top) * (BARS.length - 1)))]!,
    )
    .join('');
}

/**
 * Marks windows on the same time axis as a sparkline: "[" where one starts, "]" where it ends,
 * "─" in between, " " elsewhere.
 */
export function windowMarks(
  windows: FaultWindow[],
  now: number,
  width: number,
  spanMs = 60_000,
): string {
  const start = now - spanMs;
  const at = (t: number) =>
    Math.min(width - 1, Math.max(0, Math.floor(((t - start) / spanMs) * width)));
  const marks = Array.from({ length: width }, () => ' ');
  for (const w of windows) {
    const end = w.end ?? now;
    if (end < start || w.start > now) continue;
    const a = at(w.start);
    const b = at(end);
    for (let i = a; i <= b; i++) if (marks[i] === ' ') marks[i] = '─';
    if (w.start >= start) marks[a] = '[';
    if (w.end !== undefined && w.end <= now) marks[b] = ']';
  }
  return marks.join('');
}
