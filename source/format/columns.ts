import stringWidth from 'string-width';
import { fit } from './fit.js';

/** A table column: fixed width, or a share of what the fixed ones leave. */
export interface ColumnSpec {
  /** Width when fixed; the minimum when flexible. */
  width: number;
  /** Share of the free space (flexible when > 0). */
  flex?: number;
  align?: 'left' | 'right';
}

/**
 * Widths for columns in `total` cells with one space between columns. When even the minimums do
 * not fit, the rightmost columns are narrowed and then dropped (width 0) until the line fits.
 */
export function columnWidths(specs: ColumnSpec[], total: number): number[] {
  const gaps = Math.max(0, specs.length - 1);
  const fixed = specs.reduce((sum, s) => sum + s.width, 0) + gaps;
  if (fixed > total)
    return squeeze(
      specs.map((s) => s.width),
      total,
    );
  const free = Math.max(0, total - fixed);
  const flexTotal = specs.reduce((sum, s) => sum + (s.flex ?? 0), 0);
  const widths = specs.map(
    (s) => s.width + (flexTotal > 0 ? Math.floor((free * (s.flex ?? 0)) / flexTotal) : 0),
  );
  // Hand the rounding remainder to the first flexible column.
  const used = widths.reduce((a, b) => a + b, 0) + gaps;
  const firstFlex = specs.findIndex((s) => (s.flex ?? 0) > 0);
  if (firstFlex >= 0 && used < total) widths[firstFlex]! += total - used;
  return widths;
}

function lineWidth(widths: number[]): number {
  const shown = widths.filter((w) => w > 0);
  return shown.reduce((a, b) => a + b, 0) + Math.max(0, shown.length - 1);
}

function squeeze(widths: number[], total: number): number[] {
  const out = [...widths];
  for (let i = out.length - 1; i > 0 && lineWidth(out) > total; i--) {
    const excess = lineWidth(out) - total;
    // Narrow a column down to 3 cells, or drop it (and its gap) when that is not enough.
    out[i] = out[i]! - excess >= 3 ? out[i]! - excess : 0;
  }
  // Dropping a column may free more than needed: the first column takes the slack back.
  out[0] = Math.max(0, out[0]! + total - lineWidth(out));
  return out;
}

/** Joins cells into one line of exactly the given widths; columns of width 0 are left out. */
export function joinCells(cells: string[], widths: number[], specs: ColumnSpec[]): string {
  return cells
    .map((cell, i) => ((widths[i] ?? 0) > 0 ? fit(cell, widths[i]!, specs[i]?.align) : undefined))
    .filter((cell) => cell !== undefined)
    .join(' ');
}

function needs(specs: ColumnSpec[], rows: string[][]): number[] {
  return specs.map((s, i) =>
    s.flex ? Math.max(s.width, ...rows.map((r) => stringWidth(r[i] ?? ''))) : s.width,
  );
}

/** Cells a line needs so that no cell of `rows` is cut (fixed columns keep their width). */
export function naturalWidth(specs: ColumnSpec[], rows: string[][]): number {
  return lineWidth(needs(specs, rows));
}

/**
 * Widths sized by content, like `docker service ps`: each column gets what its widest cell needs
 * (a fixed column keeps its width). When that does not fit in `total`, the flexible columns get
 * their need from left to right and the rightmost give way (put a free-text column last); when it
 * fits, the spare cells go to the flexible columns by flex.
 */
export function contentWidths(specs: ColumnSpec[], total: number, rows: string[][]): number[] {
  const need = needs(specs, rows);
  if (lineWidth(need) <= total)
    return columnWidths(
      specs.map((s, i) => ({ ...s, width: need[i]! })),
      total,
    );
  const widths = columnWidths(
    specs.map((s) => ({ ...s, flex: 0 })),
    total,
  );
  let free = total - lineWidth(widths);
  if (free <= 0) return widths;
  const order = specs.map((s, i) => ({ i, flex: s.flex ?? 0 })).filter((c) => c.flex > 0);
  for (const { i } of order) {
    const grant = Math.min(free, need[i]! - widths[i]!);
    widths[i]! += grant;
    free -= grant;
  }
  return widths;
}
