/** One timed user action: a probe request or a manual lap. */
export interface LatencySample {
  /** Probe or action name ("web", "log in"). */
  name: string;
  /** Epoch ms when it started. */
  at: number;
  ms: number;
  ok: boolean;
  error?: string;
}

/** A stretch of time with a fault or delay in force; `end` undefined while it lasts. */
export interface FaultWindow {
  id: string;
  label: string;
  start: number;
  end?: number;
}

/** Where a sample falls relative to the nearest window. */
export type Phase = 'before' | 'during' | 'after';

/**
 * Tags a sample before / during / after the nearest window: during when it started inside one,
 * else before or after whichever window edge is closest. With no window everything is "before".
 */
export function tagSample(
  at: number,
  windows: FaultWindow[],
  now = Number.POSITIVE_INFINITY,
): Phase {
  let best: { distance: number; phase: Phase } | undefined;
  for (const w of windows) {
    const end = w.end ?? now;
    if (at >= w.start && at <= end) return 'during';
    const candidate: { distance: number; phase: Phase } =
      at < w.start
        ? { distance: w.start - at, phase: 'before' }
        : { distance: at - end, phase: 'after' };
    if (!best || candidate.distance < best.distance) best = candidate;
  }
  return best?.phase ?? 'before';
}

/** Nearest-rank percentile (p in 0..100); NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Figures of one phase of one probe. */
export interface PhaseStats {
  count: number;
  errors: number;
  p50?: number;
  p95?: number;
  max?: number;
}

/** One row of the latency table. */
export interface LatencyRow {
  name: string;
  before: PhaseStats;
  during: PhaseStats;
  after: PhaseStats;
}

function stats(samples: LatencySample[]): PhaseStats {
  const ok = samples.filter((s) => s.ok).map((s) => s.ms);
  return {
    count: samples.length,
    errors: samples.length - ok.length,
    ...(ok.length
      ? { p50: percentile(ok, 50), p95: percentile(ok, 95), max: Math.max(...ok) }
      : {}),
  };
}

/** The before / during / after table: one row per probe and per manual action, in first-seen order. */
export function latencyTable(
  samples: LatencySample[],
  windows: FaultWindow[],
  now = Number.POSITIVE_INFINITY,
): LatencyRow[] {
  const groups = new Map<string, Record<Phase, LatencySample[]>>();
  for (const s of samples) {
    const g = groups.get(s.name) ?? { before: [], during: [], after: [] };
    g[tagSample(s.at, windows, now)].push(s);
    groups.set(s.name, g);
  }
  return [...groups.entries()].map(([name, g]) => ({
    name,
    before: stats(g.before),
    during: stats(g.during),
    after: stats(g.after),
  }));
}

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
