import { percentile as nearestRank } from '../source/domain/latency.js';

/** Nearest-rank percentile rounded to 0.1 ms, for printing. */
export function percentile(values: number[], p: number): number {
  return Math.round(nearestRank(values, p) * 10) / 10;
}
