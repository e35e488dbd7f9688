import { sparkline, windowMarks } from './sparkline.js';
import {
  latencyTable,
  type FaultWindow,
  type LatencySample,
  type PhaseStats,
} from '../domain/latency.js';
import { columnWidths, joinCells, type ColumnSpec } from './fit.js';

/** "850ms", "2.10s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

/** "4ms/6ms/9ms ✗1" (p50/p95/max and errors), "–" for a phase without samples. */
export function phaseCell(s: PhaseStats): string {
  if (s.count === 0) return '–';
  const errors = s.errors ? ` ✗${s.errors}` : '';
  if (s.p50 === undefined) return `all ${s.count} failed`;
  return `${formatMs(s.p50)}/${formatMs(s.p95!)}/${formatMs(s.max!)}${errors}`;
}

const SPECS: ColumnSpec[] = [
  { width: 8, flex: 1 },
  { width: 10, flex: 2 },
  { width: 10, flex: 2 },
  { width: 10, flex: 2 },
];

/**
 * The latency table like seed 001's write-up: one row per probe and manual action, columns
 * before / during / after (p50/p95/max, errors), and under each probe its last minute as a sparkline.
 */
export function latencyLines(
  samples: LatencySample[],
  windows: FaultWindow[],
  now: number,
  width: number,
): string[] {
  if (samples.length === 0) return [];
  const widths = columnWidths(SPECS, width);
  const lines = [joinCells(['p50/p95/max', 'before', 'during', 'after'], widths, SPECS)];
  for (const row of latencyTable(samples, windows, now)) {
    lines.push(
      joinCells(
        [row.name, phaseCell(row.before), phaseCell(row.during), phaseCell(row.after)],
        widths,
        SPECS,
      ),
    );
    const mine = samples.filter((s) => s.name === row.name);
    // Manual laps are few: a sparkline only for probes that sample continuously.
    if (mine.length >= 5) {
      const span = Math.max(10, Math.min(60, width - 4));
      lines.push(`  ${sparkline(mine, now, span)}`);
      const marks = windowMarks(windows, now, span);
      if (marks.trim()) lines.push(`  ${marks}`);
    }
  }
  return lines;
}
