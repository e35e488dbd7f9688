const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest window or interval chaosdeck takes: 30 days. */
export const MAX_DURATION_MS = 30 * 24 * 3_600_000;

/**
 * Parses "30s", "2m", "1500ms", "1m30s" or a bare number of seconds into milliseconds.
 * Returns undefined for anything else, including zero and negative values.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) {
    const ms = Number(s) * 1000;
    return ms > 0 ? ms : undefined;
  }
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of s.matchAll(re)) {
    total += Number(match[1]) * UNITS[match[2]!]!;
    consumed += match[0].length;
  }
  if (consumed !== s.length || total <= 0) return undefined;
  return Math.round(total);
}

/** Short human age: "850ms", "12s", "3m", "2h", "4d". */
export function formatAge(ms: number): string {
  const a = Math.max(0, ms);
  if (a < 1000) return `${Math.round(a)}ms`;
  if (a < 60_000) return `${Math.floor(a / 1000)}s`;
  if (a < 3_600_000) return `${Math.floor(a / 60_000)}m`;
  if (a < 86_400_000) return `${Math.floor(a / 3_600_000)}h`;
  return `${Math.floor(a / 86_400_000)}d`;
}

/** Seconds with one decimal: 7.6 s. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
