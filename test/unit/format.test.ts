import stringWidth from 'string-width';
import { invalidEntriesNotice, invalidEntryLines } from '../../source/format/ledger-lines.js';
import { describe, expect, it } from 'vitest';
import { columnWidths, contentWidths } from '../../source/format/columns.js';
import {
  fit,
  scrollMarks,
  scrollStart,
  truncate,
  wrap,
  wrapParts,
} from '../../source/format/fit.js';
import { healthLines } from '../../source/format/health-lines.js';
import { formatPorts, isDegraded, serviceLines } from '../../source/format/service-rows.js';
import { stateWithAge } from '../../source/format/state-age.js';
import { taskLines } from '../../source/format/task-rows.js';
import { statusTaskRows } from '../../source/commands/status-command.js';
import { screenLayout } from '../../source/ui/layout.js';
import { containerHealth, node, service, task } from '../helpers/fixtures.js';

describe('scrollMarks', () => {
  it.each([
    [0, 5, 5, ''],
    [0, 5, 17, '↓ 12 more'],
    [3, 5, 8, '↑ 3 more'],
    [3, 5, 20, '↑ 3 more · ↓ 12 more'],
  ])('start %i, %i shown of %i → %j', (start, shown, total, out) =>
    expect(scrollMarks(start, shown, total)).toBe(out),
  );
});

describe('wrap', () => {
  it.each([
    ['short', 20, '', Infinity, ['short']],
    ['', 20, '', Infinity, ['']],
    ['the quick brown fox jumps', 10, '', Infinity, ['the quick', 'brown fox', 'jumps']],
    ['the quick brown fox', 10, '  ', Infinity, ['the quick', '  brown', '  fox']],
    ['abcdefghijkl', 5, '', Infinity, ['abcde', 'fghij', 'kl']],
    ['one two three four five six', 9, '', 2, ['one two', 'three fo…']],
    [
      'no netem: What works here instead',
      12,
      '',
      Infinity,
      ['no netem:', 'What works', 'here instead'],
    ],
  ] as [string, number, string, number, string[]][])(
    'wrap(%j, %d, %j, %d)',
    (text, width, indent, max, out) => expect(wrap(text, width, indent, max)).toEqual(out),
  );
});

describe('wrapParts', () => {
  const phases = 'created +0.1s · started +5.6s · healthy +8.7s · running +8.7s · converged +8.7s';
  it.each([
    ['fits: one line', phases, 90, '', [phases]],
    [
      'at 78 cells: a label keeps its figure, the mark ends the line',
      phases,
      78,
      '  ',
      ['created +0.1s · started +5.6s · healthy +8.7s · running +8.7s ·', '  converged +8.7s'],
    ],
    ['narrow: one part a line', 'a +1s · b +2s · c +3s', 8, ' ', ['a +1s ·', ' b +2s ·', ' c +3s']],
    ['no separator: wrapped at spaces', 'one two three', 8, '', ['one two', 'three']],
    [
      'a part wider than a line: the whole wrapped at spaces',
      'a · bbbb cccc · d',
      6,
      '',
      ['a ·', 'bbbb', 'cccc ·', 'd'],
    ],
  ] as [string, string, number, string, string[]][])('%s', (_name, text, width, indent, out) =>
    expect(wrapParts(text, ' · ', width, indent)).toEqual(out),
  );
});

describe('truncate and fit', () => {
  it.each([
    ['hello', 10, 'hello'],
    ['hello world', 8, 'hello w…'],
    ['hello', 5, 'hello'],
    ['hello', 1, '…'],
    ['hello', 0, ''],
    ['a\nb', 5, 'a b'],
    ['日本語テキスト', 6, '日本…'],
  ])('truncate(%j, %d) → %j', (text, width, out) => expect(truncate(text, width)).toBe(out));
  it.each([
    ['ab', 4, 'left', 'ab  '],
    ['ab', 4, 'right', '  ab'],
    ['abcdef', 4, 'left', 'abc…'],
  ] as const)('fit(%j, %d, %s) → %j', (text, width, align, out) =>
    expect(fit(text, width, align)).toBe(out),
  );
  it('shares free width by flex and fills the line exactly', () => {
    const widths = columnWidths([{ width: 10, flex: 1 }, { width: 5 }, { width: 4, flex: 3 }], 40);
    expect(widths.reduce((a, b) => a + b, 0) + 2).toBe(40);
    expect(widths[1]).toBe(5);
  });
  it.each([
    // specs: name (flex 2), fixed 5, cause (flex 3); rows' widest cells 6 and 30
    ['everything fits: the spare 18 cells go by flex', 60, [14, 5, 39]],
    ['name gets its need, the cause the rest', 30, [6, 5, 17]],
    ['below the minimums the right columns give way', 12, [6, 5, 0]],
  ] as const)('contentWidths: %s (%d cells)', (_, total, out) => {
    const specs = [{ width: 4, flex: 2 }, { width: 5 }, { width: 8, flex: 3 }];
    const rows = [
      ['lab_db', 'x', 'No such container: lab_db.1.j'],
      ['api', 'y', 'short'],
    ];
    const widths = contentWidths(specs, total, rows);
    expect(widths).toEqual(out);
    expect(widths.filter((w) => w > 0).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total);
  });
  it.each([
    [10, 0, 5, 0],
    [10, 9, 5, 5],
    [10, 5, 5, 3],
    [3, 2, 5, 0],
  ])('scrollStart(len %d, cursor %d, height %d) → %d', (len, cursor, height, start) =>
    expect(scrollStart(len, cursor, height)).toBe(start),
  );
});

describe('state ages', () => {
  it.each([
    ['running', 1000, 13_000, 'running 12s'],
    ['failed', 1000, 4_000, 'failed 3s ago'],
    ['preparing', 1000, 1_500, 'preparing 500ms'],
    ['shutdown', 0, 180_000, 'shutdown 3m ago'],
  ] as const)('%s since %d at %d → %s', (state, since, now, text) =>
    expect(stateWithAge({ state, stateSince: since }, now)).toBe(text),
  );
});

describe('service rows', () => {
  const services = [
    service({
      id: '1',
      name: 'lab_web',
      ports: [{ target: 8080, published: 18080, protocol: 'tcp', mode: 'host' }],
    }),
    service({
      id: '2',
      name: 'a-very-long-service-name-that-will-not-fit-anywhere',
      running: 1,
      desired: 2,
      updateState: 'updating',
    }),
  ];
  it.each([80, 120, 40])('every line is exactly %d cells', (width) => {
    const { header, rows } = serviceLines(services, width);
    for (const line of [header, ...rows]) expect(stringWidth(line)).toBe(width);
  });
  it('shows replicas, ports and update state; a long name whole where the line has room', () => {
    const { rows } = serviceLines(services, 140);
    expect(rows[0]).toMatch(
      /lab_web\s+replicated\s+1\/1 demo\/busybox:local\s+18080:8080\/tcp \(host\)/,
    );
    expect(rows[1]).toMatch(/a-very-long-service-name-that-will-not-fit-anywhere\s+replicated/);
    expect(rows[1]).toMatch(/1\/2.*updating/);
  });
  it('where the line is short the name keeps its need and the columns right of it give way', () => {
    const { rows } = serviceLines(services, 100);
    expect(rows[1]).toMatch(/^a-very-long-service-name-that-will-not-fit-anywhere replicated/);
    expect(rows[0]).toMatch(/demo\/busyb… 18080…/);
    expect(serviceLines(services, 80).rows[1]).toMatch(
      /^a-very-long-service-name-that-wil… replicated/,
    );
  });
  it.each([
    [1, 1, false],
    [0, 1, true],
    [3, 2, true],
  ])('running %d desired %d degraded %s', (running, desired, degraded) =>
    expect(isDegraded({ running, desired })).toBe(degraded),
  );
  it('formats ingress and host ports', () =>
    expect(
      formatPorts([
        { target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' },
        { target: 53, protocol: 'udp', mode: 'host' },
      ]),
    ).toBe('8080:80/tcp, *:53/udp (host)'));
});

describe('task rows', () => {
  const failed = task({
    id: 'old',
    serviceId: 's',
    state: 'failed',
    desiredState: 'shutdown',
    exitCode: 137,
    error: 'task: non-zero exit (137)',
    stateSince: 5000,
    containerId: 'c0',
  });
  const current = task({
    id: 'new',
    serviceId: 's',
    state: 'running',
    stateSince: 9000,
    containerId: 'c1',
    exitCode: 0,
  });
  const rows = [
    { task: current, slotName: 'web.1', isCurrent: true, nodeName: 'vm' },
    { task: failed, slotName: 'web.1', isCurrent: false, nodeName: 'vm' },
  ];
  it('indents history under the current task with exit code and error', () => {
    const { header, rows: lines } = taskLines(rows, 100, 12_000);
    expect(header).toMatch(/^TASK\s+NODE\s+DESIRED\s+CURRENT\s+EXIT\s+CAUSE/);
    expect(lines[0]).toMatch(/^web\.1\s+vm\s+running\s+running 3s\s+$/);
    expect(lines[1]).toMatch(
      /^ \\_ web\.1\s+vm\s+shutdown\s+failed 7s ago\s+137 task: non-zero exit \(137\)/,
    );
  });
  it('a state from the container event says Swarm has not listed it yet', () => {
    const early = { ...current, state: 'failed' as const, stateSince: 11_000, exitCode: 137 };
    const { rows: lines } = taskLines(
      [{ ...rows[0]!, task: early, cause: 'killed from outside (SIGKILL)', fromEvent: true }],
      118,
      12_000,
    );
    expect(lines[0]).toMatch(/failed 1s ago\s+137 event: killed from outside \(SIGKILL\)/);
  });
  it("a long Swarm error shows whole at 120 columns: the task and node columns take their names' width", () => {
    const error = 'No such container: lab_db.1.jecd975h1n5e1ag0fzpdijr3w';
    const gone = { ...current, state: 'rejected' as const, error };
    const { rows: lines } = taskLines([{ ...rows[0]!, task: gone }], 118, 12_000);
    expect(lines[0]).toContain(error);
    expect(lines[0]).toMatch(/^web\.1 +vm +running/);
  });
  it.each([78, 118])('lines are exactly %d cells', (width) => {
    const { header, rows: lines } = taskLines(rows, width, 12_000);
    for (const line of [header, ...lines]) expect(stringWidth(line)).toBe(width);
  });
});

describe('health lines', () => {
  const base = containerHealth({
    status: 'unhealthy',
    failingStreak: 2,
    startedAt: 0,
    probes: [
      {
        start: Date.UTC(2026, 0, 1, 10, 0, 1),
        end: Date.UTC(2026, 0, 1, 10, 0, 1) + 40,
        exitCode: 1,
        output: 'connection refused\nmore',
      },
      {
        start: Date.UTC(2026, 0, 1, 10, 0, 3),
        end: Date.UTC(2026, 0, 1, 10, 0, 3) + 30,
        exitCode: 1,
        output: '',
      },
    ],
  });
  it('leads with status and streak, then probes newest first on one line each', () => {
    const lines = healthLines(base, 60_000, 80, 5);
    expect(lines.map((l) => l.text)).toEqual([
      'unhealthy, failing streak 2  ·  running for 1m',
      '10:00:03 exit 1 30ms  (no output)',
      '10:00:01 exit 1 40ms  connection refused more',
    ]);
    expect(lines[0]!.tone).toBe('bad');
  });
  it('says "no healthcheck" and shows OOMKilled and exit code of a dead container', () => {
    const lines = healthLines(
      {
        ...base,
        status: 'none',
        probes: [],
        running: false,
        state: 'exited',
        exitCode: 137,
        oomKilled: true,
        restartCount: 1,
      },
      0,
      80,
      3,
    );
    expect(lines[0]!.text).toBe('no healthcheck  ·  exited · exit 137 · OOMKilled · restarts 1');
  });
  it('keeps to the lines it is given', () => expect(healthLines(base, 0, 80, 2)).toHaveLength(2));
  it.each([
    [undefined, "unhealthy (Docker's mark while paused)  ·  paused · up 41m"],
    [41 * 60_000 - 5_000, "unhealthy (Docker's mark while paused)  ·  paused for 5s · up 41m"],
  ])('a pause made at %j is aged from the pause, not the start', (pausedAt, text) => {
    const h = { ...base, paused: true, startedAt: 0, probes: [] };
    expect(healthLines(h, 41 * 60_000, 200, 1, pausedAt)[0]!.text).toBe(text);
  });
  it.each([
    ['unhealthy', true, 0, "unhealthy (Docker's mark while paused)"],
    ['unhealthy', false, 3, 'unhealthy, failing streak 3'],
    ['healthy', true, 0, 'healthy, failing streak 0'],
  ] as const)(
    'status %s, paused %j, failing streak %j: "%s" (Docker marks a paused container unhealthy)',
    (status, paused, failingStreak, text) => {
      const h = { ...base, status, paused, failingStreak, probes: [] };
      expect(healthLines(h, 0, 200, 1)[0]!.text.split('  ·  ')[0]).toBe(text);
    },
  );
});

describe('screen layout', () => {
  it.each([
    [24, 0],
    [40, 0],
    [10, 0],
    [200, 0],
    [24, 3],
    [40, 7],
    [16, 1],
  ])('%d rows with %d active faults add up to the terminal', (rows, faults) => {
    const l = screenLayout(rows, faults);
    const total = l.header + l.services + l.tasks + l.faults + l.health + l.notice + l.footer;
    expect(total).toBe(rows);
    if (faults > 0 && rows >= 16) expect(l.faults).toBeGreaterThan(1);
  });
});

describe('status rows', () => {
  it('sorts services and shows each slot’s current task with its exit, health and faults', () => {
    const rows = statusTaskRows(
      [
        service({ id: 'b', name: 'zeta', hasHealthcheck: true }),
        service({ id: 'a', name: 'alpha', running: 0 }),
      ],
      [
        task({
          id: 't',
          serviceId: 'a',
          state: 'failed',
          desiredState: 'shutdown',
          exitCode: 1,
          stateSince: 0,
          containerId: 'c',
        }),
        task({ id: 'z', serviceId: 'b', containerId: 'cz' }),
      ],
      [node({ id: 'n1', hostname: 'vm' })],
      { cz: containerHealth({ status: 'unhealthy' }) },
      [],
    );
    expect(
      rows.map((r) => [r.service, r.replicas, r.slot, r.node, r.state, r.exit, r.health]),
    ).toEqual([
      ['alpha', '0/1', 'alpha.1', 'vm', 'failed', '1', '–'],
      ['zeta', '1/1', 'zeta.1', 'vm', 'running', undefined, 'unhealthy'],
    ]);
  });
});

describe('ledger lines', () => {
  const one = [{ index: 1, problem: 'id: expected string' }];
  const two = [...one, { index: 3, problem: 'appliedAt: expected number' }];
  it.each([
    [[], undefined],
    [one, 'ignored 1 unreadable ledger entry (#1: id: expected string); they stay in /l.json'],
    [two, 'ignored 2 unreadable ledger entries (#1: id: expected string); they stay in /l.json'],
  ])('notice for %j', (entries, text) =>
    expect(invalidEntriesNotice(entries, '/l.json')).toBe(text),
  );
  it('one restore line per entry', () =>
    expect(invalidEntryLines(two, '/l.json').map((l) => l.slice(0, 36))).toEqual([
      'ledger entry 1 of /l.json ignored (i',
      'ledger entry 3 of /l.json ignored (a',
    ]));
});
