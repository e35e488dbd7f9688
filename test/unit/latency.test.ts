import { describe, expect, it } from 'vitest';
import { latencyLines } from '../../source/format/latency-lines.js';
import {
  latencyTable,
  percentile,
  tagSample,
  type FaultWindow,
  type LatencySample,
} from '../../source/domain/latency.js';
import { sparkline, windowMarks } from '../../source/format/sparkline.js';

const windows: FaultWindow[] = [
  { id: 'a', label: 'pause', start: 100, end: 200 },
  { id: 'b', label: 'loss', start: 1000, end: 1100 },
];

describe('tagSample', () => {
  it.each([
    [50, 'before'],
    [100, 'during'],
    [150, 'during'],
    [200, 'during'],
    [250, 'after'],
    [590, 'after'], // 390 after a's end, 410 before b's start
    [610, 'before'],
    [1050, 'during'],
    [5000, 'after'],
  ] as const)('at %d → %s', (at, phase) => expect(tagSample(at, windows)).toBe(phase));
  it('an open window lasts until now', () => {
    expect(tagSample(5000, [{ id: 'x', label: 'pause', start: 100 }], 6000)).toBe('during');
    expect(tagSample(50, [])).toBe('before');
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[42], 95, 42],
    [[3, 1, 2], 50, 2],
  ])('%j p%d → %d', (values, p, out) => expect(percentile(values, p)).toBe(out));
  it('is NaN for nothing', () => expect(percentile([], 50)).toBeNaN());
});

describe('latencyTable', () => {
  const s = (name: string, at: number, ms: number, ok = true): LatencySample => ({
    name,
    at,
    ms,
    ok,
  });
  it('one row per probe and manual action, before / during / after with errors', () => {
    const rows = latencyTable(
      [
        s('web', 10, 4),
        s('web', 20, 6),
        s('web', 150, 2000),
        s('web', 160, 0, false),
        s('web', 300, 5),
        s('log in', 150, 21_990),
        s('log in', 400, 8_530),
      ],
      [windows[0]!],
    );
    expect(rows).toEqual([
      {
        name: 'web',
        before: { count: 2, errors: 0, p50: 4, p95: 6, max: 6 },
        during: { count: 2, errors: 1, p50: 2000, p95: 2000, max: 2000 },
        after: { count: 1, errors: 0, p50: 5, p95: 5, max: 5 },
      },
      {
        name: 'log in',
        before: { count: 0, errors: 0 },
        during: { count: 1, errors: 0, p50: 21_990, p95: 21_990, max: 21_990 },
        after: { count: 1, errors: 0, p50: 8_530, p95: 8_530, max: 8_530 },
      },
    ]);
  });
});

describe('sparkline', () => {
  it('one character per bucket: height by the worst latency, × for an error, blank without samples', () => {
    const samples: LatencySample[] = [
      { name: 'w', at: 0, ms: 10, ok: true },
      { name: 'w', at: 15_000, ms: 80, ok: true },
      { name: 'w', at: 30_000, ms: 0, ok: false },
    ];
    expect(sparkline(samples, 60_000, 4)).toBe('▁█× ');
  });
});

describe('windowMarks', () => {
  it.each([
    [[{ id: 'a', label: '', start: 15_000, end: 45_000 }], ' [─]'],
    [[{ id: 'a', label: '', start: 15_000 }], ' [──'],
    [[], '    '],
  ])('%j on 4 buckets of 15 s → %j', (windows, marks) => {
    expect(windowMarks(windows, 60_000, 4)).toBe(marks);
  });
});

describe('latencyLines', () => {
  const window = { id: 'w', label: 'delay', start: 10_000, end: 20_000 };
  const lap = (at: number, ms: number) => ({ name: 'log in', at, ms, ok: true, manual: true });

  it('lists each manual attempt under its row: number, phase, time (seed 001)', () => {
    const lines = latencyLines(
      [lap(1000, 2100), lap(12_000, 6300), lap(25_000, 2050)],
      [window],
      30_000,
      80,
    );
    expect(lines[1]).toMatch(/^log in\s+2\.10s\/2\.10s\/2\.10s\s+6\.30s\/6\.30s\/6\.30s\s+2\.05s/);
    expect(lines.slice(2)).toEqual([
      '  attempt 1  before  2.10s',
      '  attempt 2  during  6.30s',
      '  attempt 3  after   2.05s',
    ]);
  });

  it('keeps the latest eight attempts, numbered as they were made', () => {
    const laps = Array.from({ length: 10 }, (_, i) => lap(1000 + i, 500 + i));
    const lines = latencyLines(laps, [], 30_000, 60).slice(2);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('  attempt 3  before  502ms');
    expect(lines[7]).toBe('  attempt 10  before  509ms');
  });

  it('probes get a sparkline, not attempts', () => {
    const probe = Array.from({ length: 6 }, (_, i) => ({
      name: 'web',
      at: 25_000 + i,
      ms: 5,
      ok: true,
    }));
    const lines = latencyLines(probe, [], 30_000, 60);
    expect(lines.some((l) => l.includes('attempt'))).toBe(false);
    expect(lines).toHaveLength(3);
  });
});
