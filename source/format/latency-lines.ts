import { sparkline, windowMarks } from './sparkline.js';
import {
  latencyTable,
  tagSample,
  type FaultWindow,
  type LatencySample,
  type PhaseStats,
} from '../domain/latency.js';
import { contentWidths, joinCells, naturalWidth, type ColumnSpec } from './columns.js';

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

// Attempts listed under a manual action's row; older ones count in its p50/p95/max only.
const MAX_ATTEMPTS = 8;

const HEADINGS = ['p50/p95/max', 'before', 'during', 'after'];
// A minute of samples, one cell a second.
const SPARK_SPAN = 60;

const rowCells = (row: ReturnType<typeof latencyTable>[number]) => [
  row.name,
  phaseCell(row.before),
  phaseCell(row.during),
  phaseCell(row.after),
];

const SPECS: ColumnSpec[] = [
  { width: 8, flex: 1 },
  { width: 10, flex: 2 },
  { width: 10, flex: 2 },
  { width: 10, flex: 2 },
];

/**
 * The latency table like seed 001's write-up: one row per probe and manual action, columns
 * before / during / after (p50/p95/max, errors); under each probe its last minute as a sparkline,
 * under each manual action its attempts (number, phase, time).
 */
export function latencyLines(
  samples: LatencySample[],
  windows: FaultWindow[],
  now: number,
  width: number,
): string[] {
  if (samples.length === 0) return [];
  const table = latencyTable(samples, windows, now);
  const cells = [HEADINGS, ...table.map(rowCells)];
  // The action names as wide as they are; the phases share the rest.
  const widths = contentWidths(SPECS, width, cells);
  const lines = [joinCells(HEADINGS, widths, SPECS)];
  table.forEach((row, r) => {
    lines.push(joinCells(cells[r + 1]!, widths, SPECS));
    const mine = samples.filter((s) => s.name === row.name);
    const laps = mine.filter((s) => s.manual);
    // Each manual attempt under its row, as seed 001's table lists them (the latest that fit).
    laps.slice(-MAX_ATTEMPTS).forEach((lap, i) => {
      const n = laps.length - Math.min(laps.length, MAX_ATTEMPTS) + i + 1;
      const phase = tagSample(lap.at, windows, now);
      lines.push(`  attempt ${n}  ${phase.padEnd(6)}  ${formatMs(lap.ms)}`);
    });
    // Manual laps are few: a sparkline only for probes that sample continuously.
    if (laps.length === 0 && mine.length >= 5) {
      const span = Math.max(10, Math.min(SPARK_SPAN, width - 4));
      lines.push(`  ${sparkline(mine, now, span)}`);
      const marks = windowMarks(windows, now, span);
      if (marks.trim()) lines.push(`  ${marks}`);
    }
  });
  return lines;
}

/** Cells the latency table needs so that no cell is cut (0 without samples). */
export function latencyNeed(samples: LatencySample[], windows: FaultWindow[], now: number): number {
  if (samples.length === 0) return 0;
  const cells = [HEADINGS, ...latencyTable(samples, windows, now).map(rowCells)];
  const sparks = samples.some((s) => !s.manual) ? SPARK_SPAN + 2 : 0;
  return Math.max(naturalWidth(SPECS, cells), sparks);
}
