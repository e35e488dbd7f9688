/** Heights of the screen's parts; they always add up to the terminal height. */
export interface ScreenLayout {
  header: number;
  services: number;
  tasks: number;
  /** Active faults with their countdowns (0 when none). */
  faults: number;
  health: number;
  /** The notice line (last action's result). */
  notice: number;
  footer: number;
}

/** Lines each pane gets for a terminal of `rows` lines (each pane has a title line). */
export function screenLayout(rows: number, activeFaults = 0, noticeLines = 1): ScreenLayout {
  const header = 2;
  const footer = 1;
  // A long notice takes a second line where the screen has rows to spare.
  const notice = rows >= 12 ? (rows >= 20 ? Math.min(2, Math.max(1, noticeLines)) : 1) : 0;
  const faults =
    activeFaults > 0 && rows >= 16 ? 1 + Math.min(activeFaults, rows >= 30 ? 4 : 2) : 0;
  const body = Math.max(0, rows - header - footer - notice - faults);
  // Each pane keeps a title, a header and a row when there is room; tiny terminals just split.
  const min = body >= 9 ? 3 : 0;
  const health = Math.max(min, Math.floor(body * 0.3));
  const services = Math.max(min, Math.floor((body - health) * 0.45));
  const tasks = body - health - services;
  return { header, services, tasks, faults, health, notice, footer };
}

/**
 * The smallest terminal where every pane shows at least one row: below it a key could act on a
 * service or task the user cannot see, so the console shows only how to make room.
 */
export const MIN_SIZE = { columns: 40, rows: 13 };

/** True when the terminal is below MIN_SIZE. */
export function tooSmall(size: { columns: number; rows: number }): boolean {
  return size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows;
}

// The timers' title ("Timers · space times "manual" · l names it") and a table row.
const MIN_SIDE = 44;

/**
 * Width of the health pane beside the timers in `columns`: the timers get what their text needs
 * (their table and breakdowns are what a game day reads), the health pane what is left but never
 * less than ~30 % or more than it needs; with nothing timed yet the health pane keeps half.
 */
export function healthPaneWidth(columns: number, healthNeed: number, timersNeed: number): number {
  // In steps of 8 cells, so that a ticking "12.3s" does not move the border every second.
  const step = (n: number) => Math.ceil(n / 8) * 8;
  healthNeed = step(healthNeed);
  timersNeed = step(timersNeed);
  const half = Math.floor(columns / 2);
  const most = Math.max(half, columns - MIN_SIDE);
  if (timersNeed === 0) return Math.min(most, Math.max(half, healthNeed));
  const least = Math.min(half, Math.max(30, Math.floor(columns * 0.3)));
  return Math.min(most, Math.max(least, Math.min(healthNeed, columns - timersNeed)));
}
