/** One timed user action: a probe request or a manual lap. */
export interface LatencySample {
  /** Probe or action name ("web", "log in"). */
  name: string;
  /** Epoch ms when it started. */
  at: number;
  ms: number;
  ok: boolean;
  error?: string;
  /** A manual lap (space), timed by a person: each attempt is listed, not only aggregated. */
  manual?: boolean;
}

/** A stretch of time with a fault or delay in force; `end` undefined while it lasts. */
export interface FaultWindow {
  id: string;
  label: string;
  start: number;
  end?: number;
}

/**
 * When "during" ends for a fault that is a moment (a kill, a stop): users feel the whole recovery,
 * so it lasts until Swarm has converged every recovery the fault caused (those of its service
 * that failed from a second before it on). With none, the moment itself; with one still running,
 * `open` (undefined: it goes on). The one definition the console, the commands, `run` and the
 * report share.
 */
export function momentEnd(
  start: number,
  recoveries: readonly { failedAt: number; convergedAt?: number }[],
  open: number | undefined,
): number | undefined {
  const caused = recoveries.filter((r) => r.failedAt >= start - 1000);
  if (caused.length === 0) return start;
  if (caused.some((r) => r.convergedAt === undefined)) return open;
  return Math.max(...caused.map((r) => r.convergedAt!));
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
