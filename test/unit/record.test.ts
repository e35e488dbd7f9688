import { mkdtempSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { momentEnd } from '../../source/domain/latency.js';
import type { RecoveryEpisode } from '../../source/domain/recovery.js';
import {
  gameDayModel,
  recoveryTime,
  verdictOf,
  worstLatency,
} from '../../source/record/game-day-model.js';
import { reportJson } from '../../source/record/report-json.js';
import { reportMarkdown } from '../../source/record/report-md.js';
import type { JournalBody, JournalEvent } from '../../source/record/journal-events.js';
import { parseJournal, readJournal } from '../../source/record/journal-read.js';
import { Journal } from '../../source/game-day/journal.js';
import { TaskJournal } from '../../source/game-day/task-journal.js';
import type { FaultPorts } from '../../source/faults/fault-ports.js';
import { containerHealth, service, task } from '../helpers/fixtures.js';
import { CTK_JOURNAL_KEYS } from '../helpers/ctk.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');
const target = {
  service: 'web',
  slot: 'web.1',
  task: 'task1aaaaaaaaa',
  container: 'c1'.padEnd(64, '0'),
  node: 'vm',
};
const ev = (t: number, body: JournalBody): JournalEvent => ({ t: T0 + t, session: 's1', ...body });

const episode = (over: Partial<RecoveryEpisode> = {}): RecoveryEpisode => ({
  id: 'task1aaaaaaaaa',
  serviceId: 'svc',
  serviceName: 'web',
  slotKey: '1',
  failedTaskId: 'task1aaaaaaaaa',
  failedState: 'failed',
  exitCode: 137,
  failedAt: T0 + 1000,
  replacementTaskId: 'task2',
  createdAt: T0 + 1100,
  // As on Swarm with a healthcheck: the container starts after the restart delay, and the task
  // is running only once it is healthy.
  startedAt: T0 + 6100,
  healthyAt: T0 + 8600,
  runningAt: T0 + 8610,
  convergedAt: T0 + 8610,
  hasHealthcheck: true,
  restartDelayMs: 5000,
  retries: 0,
  ...over,
});

const start = ev(0, {
  type: 'session-start',
  mode: 'console',
  who: 'ana',
  host: 'mgr1',
  chaosdeck: '0.1.0',
  engine: { node: 'mgr1', version: '27.0', api: '1.46' },
  nodes: [{ hostname: 'mgr1', role: 'manager', availability: 'active', ready: true }],
  services: [{ name: 'web', mode: 'replicated', desired: 1, image: 'web:1' }],
});
const kill = ev(1000, {
  type: 'fault-applied',
  id: 'f1',
  kind: 'kill',
  target,
  params: { signal: 'SIGKILL' },
  description: 'kill with SIGKILL',
});
const lap = (t: number, ms: number) =>
  ev(t, { type: 'sample', source: 'lap', sample: { name: 'log in', at: T0 + t, ms, ok: true } });

describe('the journal', () => {
  it('appends synced lines and reads them back; a torn last line is skipped, not fatal', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cd-journal-')), 'day.jsonl');
    const j = new Journal(file, 's1');
    j.write({ type: 'note', who: 'ana', text: 'login spinner stuck' }, T0);
    j.write({ type: 'session-end', code: 0, why: 'quit' }, T0 + 1);
    appendFileSync(file, '{"t": 17, "session": "s1", "type": "no'); // SIGKILL mid-write
    const read = readJournal(file);
    expect(read.events.map((e) => e.type)).toEqual(['note', 'session-end']);
    expect(read.skipped).toEqual([3]);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('"session":"s1"');
  });

  it.each([
    ['not JSON', 'hello', 1],
    ['JSON without a type', '{"t":1,"session":"a"}', 1],
    ['an array', '[1,2]', 1],
    ['blank lines', '\n\n', 0],
  ])('skips %s', (_name, text, skipped) => {
    expect(parseJournal(text).skipped).toHaveLength(skipped);
  });

  it('a journal it cannot write is reported once, never thrown', () => {
    const errors: string[] = [];
    const j = new Journal('/proc/forbidden/day.jsonl', 's', (m) => errors.push(m));
    j.write({ type: 'note', who: 'a', text: 'x' });
    j.write({ type: 'note', who: 'a', text: 'y' });
    expect(errors).toHaveLength(1);
  });
});

describe("the task journal's OOM kills", () => {
  const api = service({ id: 's1', name: 'api' });
  const setup = (oomKilled: boolean) => {
    const file = join(mkdtempSync(join(tmpdir(), 'cd-tasks-')), 'day.jsonl');
    const journal = new Journal(file, 's1');
    const inspected: string[] = [];
    const ports = {
      swarm: undefined,
      containerPort: () => ({
        inspectHealth: async (id: string) => {
          inspected.push(id);
          return containerHealth({ containerId: id, oomKilled, finishedAt: T0 + 5 });
        },
      }),
    } as unknown as FaultPorts;
    const tasks = new TaskJournal(journal, ports);
    tasks.touch('s1');
    const running = task({ id: 't1', serviceId: 's1', containerId: 'c1', stateSince: T0 });
    tasks.observe([running], [api]);
    const failed = { ...running, state: 'failed' as const, stateSince: T0 + 10, exitCode: 137 };
    return { file, tasks, inspected, failed };
  };
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('a task that ended is inspected: OOMKilled is journaled once and named as its cause', async () => {
    const { file, tasks, inspected, failed } = setup(true);
    tasks.observe([failed], [api]);
    await settled();
    expect(inspected).toEqual(['c1']);
    expect(tasks.oomKilled('t1')).toBe(true);
    tasks.oomEvent('c1', T0 + 6); // the event stream telling too: no second line
    const ooms = readJournal(file).events.filter((e) => e.type === 'oom');
    expect(ooms).toHaveLength(1);
  });

  it('a health change is journaled once, and a paused one says it was paused', () => {
    const { file, tasks } = setup(false);
    tasks.health('c1', containerHealth({ containerId: 'c1', status: 'unhealthy', paused: true }));
    tasks.health('c1', containerHealth({ containerId: 'c1', status: 'unhealthy', paused: true }));
    tasks.health('c1', containerHealth({ containerId: 'c1', status: 'healthy' }));
    const lines = readJournal(file).events.filter((e) => e.type === 'health');
    expect(lines.map((l) => [l.status, l.paused])).toEqual([
      ['unhealthy', true],
      ['healthy', undefined],
    ]);
  });

  it('an exit the kernel did not cause is no OOM kill; the oom event alone makes one', async () => {
    const { tasks, failed } = setup(false);
    tasks.observe([failed], [api]);
    await settled();
    expect(tasks.oomKilled('t1')).toBe(false);
    tasks.oomEvent('c1', T0 + 6);
    expect(tasks.oomKilled('t1')).toBe(true);
    expect(tasks.oomKilled('t-unknown')).toBe(false);
  });
});

describe('the game-day model', () => {
  it.each([
    ['recovered', [episode()], 'recovered', 7610],
    ['not converged', [episode({ convergedAt: undefined })], 'not recovered', undefined],
    ['flapping', [episode({ retries: 2 })], 'not recovered', 7610],
    ['nothing lost', [], 'no task lost', undefined],
  ] as const)('%s', (_name, episodes, verdict, time) => {
    const events = [
      start,
      kill,
      ...episodes.map((e) => ev(9000, { type: 'recovery', episode: e })),
    ];
    const [x] = gameDayModel(events).experiments;
    expect(verdictOf(x!)).toBe(verdict);
    expect(recoveryTime(x!)).toBe(time);
  });

  it('tags laps before / during / after the window of a pause', () => {
    const pause = ev(10_000, {
      type: 'fault-applied',
      id: 'p',
      kind: 'pause',
      target,
      params: {},
      description: 'pause',
    });
    const undone = ev(20_000, {
      type: 'fault-undone',
      id: 'p',
      kind: 'pause',
      target,
      outcome: 'undone',
    });
    const model = gameDayModel([
      start,
      lap(5000, 800),
      pause,
      lap(12_000, 9000),
      lap(14_000, 7000),
      undone,
      lap(25_000, 900),
    ]);
    const [x] = model.experiments;
    expect(x!.samples.map((s) => s.phase)).toEqual(['before', 'during', 'during', 'after']);
    expect(worstLatency(x!)).toEqual({ ms: 9000, name: 'log in', ok: true });
  });
});

describe('the reports', () => {
  const note = ev(3000, { type: 'note', who: 'ana', text: 'login spinner stuck' });
  const events = [
    start,
    kill,
    ev(9000, { type: 'recovery', episode: episode() }),
    lap(500, 800),
    lap(2000, 16_000),
    note,
  ];

  it('Markdown: a recovery no fault explains (a kill from elsewhere) has its own section', () => {
    const md = reportMarkdown(
      gameDayModel([start, ev(9000, { type: 'recovery', episode: episode() })]),
      '/tmp/day.jsonl',
    );
    expect(md).toContain('No faults were applied.');
    expect(md).toContain('## Recoveries without a fault');
    expect(md).toContain(
      '| web.1 | 10:00:01.000 | failed, exit 137 | +0.10 s | +5.10 s | +7.60 s | +7.61 s | +7.61 s | 0 |',
    );
    // A global service's slot is named by its node, as the console names it.
    const onNode = episode({ slotKey: 'n2xyz', slotName: 'worker.labw2' });
    expect(
      reportMarkdown(gameDayModel([start, ev(9000, { type: 'recovery', episode: onNode })]), '/f'),
    ).toContain('| worker.labw2 | 10:00:01.000 |');
    // The same recovery after a kill of this day belongs to the kill's experiment only.
    expect(reportMarkdown(gameDayModel(events), '/tmp/day.jsonl')).not.toContain(
      'Recoveries without a fault',
    );
  });

  it("Markdown: a paused container's unhealthy is named as Docker's mark, not a failing probe", () => {
    const health = (t: number, status: string, paused?: boolean) =>
      ev(t, {
        type: 'health',
        service: 'web',
        slot: 'web.1',
        container: target.container,
        status,
        ...(paused ? { paused } : {}),
      });
    const md = reportMarkdown(
      gameDayModel([start, kill, health(2000, 'unhealthy', true), health(4000, 'unhealthy')]),
      '/f',
    );
    expect(md).toContain("- 10:00:02.000 web.1: health unhealthy (Docker's mark while paused)");
    expect(md).toContain('- 10:00:04.000 web.1: health unhealthy\n');
  });

  it('Markdown: summary, phases, each attempt, notes, and empty headings for the people', () => {
    const md = reportMarkdown(gameDayModel(events), '/tmp/day.jsonl');
    expect(md).toContain(
      '| 1 | kill with SIGKILL | web.1 | 7.61 s | 16.00 s (log in) | recovered |',
    );
    expect(md).toContain(
      '| web.1 | 10:00:01.000 | failed, exit 137 | +0.10 s | +5.10 s | +7.60 s | +7.61 s | +7.61 s | 0 |',
    );
    expect(md).toMatch(/\| 1 \| 10:00:00\.500 \| before \| 800 ms \| ok \|/);
    expect(md).toMatch(/\| 2 \| 10:00:02\.000 \| during \| 16\.00 s \| ok \|/);
    expect(md).toContain('- 10:00:03.000 ana: login spinner stuck');
    expect(md).toMatch(/### Findings:\n\n### Recommendations:/);
  });

  it('Markdown: scales and restarts of whole services in their own section', () => {
    const md = reportMarkdown(
      gameDayModel([
        ...events,
        ev(4000, {
          type: 'service-action',
          action: 'scale',
          service: 'web',
          from: 1,
          to: 3,
          outcome: 'done',
        }),
        ev(5000, {
          type: 'service-action',
          action: 'restart',
          service: 'web',
          outcome: 'refused',
          error: 'read-only',
        }),
      ]),
      '/tmp/day.jsonl',
    );
    expect(md).toMatch(
      /## Service actions\n\n- 10:00:04\.000 scale web 1 → 3\n- 10:00:05\.000 restart web: refused, read-only\n/,
    );
  });

  it('Markdown and JSON: a node lost to a partition and back, phases from the cut', () => {
    const cutAt = T0 + 6000;
    const recovery = {
      nodeId: 'w1',
      node: 'labw1',
      cutAt,
      downAt: cutAt + 14_800,
      moved: [
        {
          serviceId: 's',
          slot: 'api.1',
          oldTaskId: 'a1',
          replacementTaskId: 'a2',
          replacementNode: 'labw2',
          createdAt: cutAt + 15_000,
          runningAt: cutAt + 16_100,
        },
      ],
      convergedAt: cutAt + 16_100,
      readyAt: cutAt + 41_200,
      globalTasks: 0,
      left: [{ taskId: 'a1', slot: 'api.1', state: 'shutdown', desired: 'shutdown' }],
    };
    const model = gameDayModel([...events, ev(50_000, { type: 'node-recovery', recovery })]);
    expect(reportMarkdown(model, '/tmp/day.jsonl')).toContain(
      [
        '## Nodes lost and back',
        '',
        '- 10:00:06.000 cut:',
        '',
        '  ```text',
        '  labw1: down +14.8s · services whole +16.1s · ready again +41.2s',
        '    api.1: replacement on labw2 created +15.0s · running +16.1s',
        '    left on labw1: api.1 shutdown',
        '  ```',
      ].join('\n'),
    );
    expect(reportJson(model, '0.1.0').nodeRecoveries).toEqual([
      expect.objectContaining({ node: 'labw1', downMs: 14_800, readyMs: 41_200 }),
    ]);
  });

  it('JSON: the Chaos Toolkit journal keys, phases and samples in the run output', () => {
    const doc = reportJson(gameDayModel(events), '0.1.0');
    for (const key of CTK_JOURNAL_KEYS) expect(doc).toHaveProperty(key);
    const [run] = doc.run as {
      output: { recoveries: { phases_ms: unknown }[]; samples: unknown[] };
      status: string;
    }[];
    expect(run!.status).toBe('succeeded');
    expect(run!.output.recoveries[0]!.phases_ms).toEqual({
      created: 100,
      started: 5100,
      healthy: 7600,
      running: 7610,
      converged: 7610,
    });
    expect(run!.output.samples).toHaveLength(2);
    expect(doc.deviated).toBe(false);
  });
});

describe('one "during" for every front end and the report', () => {
  it.each([
    ['no recovery: the moment itself', [], 1000],
    ['one converged: until it converged', [{ failedAt: 1100, convergedAt: 9000 }], 9000],
    ['one still recovering: open', [{ failedAt: 1100 }], undefined],
    [
      'the latest of those it caused',
      [
        { failedAt: 1100, convergedAt: 9000 },
        { failedAt: 1200, convergedAt: 12_000 },
      ],
      12_000,
    ],
    ['an earlier recovery is not its own', [{ failedAt: -500, convergedAt: 3000 }], 1000],
  ])('momentEnd: %s', (_name, recoveries, end) => {
    expect(momentEnd(1000, recoveries, undefined)).toBe(end);
  });

  it('faults applied together (a pause of every replica) each see their shared window', () => {
    const applied = (t: number, id: string, slot: string): JournalEvent =>
      ev(t, {
        type: 'fault-applied',
        id,
        kind: 'pause',
        target: { ...target, slot },
        params: {},
        description: 'pause',
      });
    const undone = (t: number, id: string, slot: string): JournalEvent =>
      ev(t, {
        type: 'fault-undone',
        id,
        kind: 'pause',
        target: { ...target, slot },
        outcome: 'undone',
      });
    const sample = (t: number, ms: number): JournalEvent =>
      ev(t, {
        type: 'sample',
        source: 'probe',
        sample: { name: 'log-in', at: T0 + t, ms, ok: true },
      });
    const model = gameDayModel([
      start,
      sample(500, 10),
      applied(1000, 'a', 'web.1'),
      applied(1030, 'b', 'web.2'),
      sample(2000, 1010),
      sample(3000, 1008),
      undone(6000, 'b', 'web.2'),
      undone(6020, 'a', 'web.1'),
      sample(7000, 12),
    ]);
    for (const x of model.experiments) {
      expect(x.samples.filter((s) => s.phase === 'during').map((s) => s.ms)).toEqual([1010, 1008]);
      expect(worstLatency(x)).toEqual({ ms: 1010, name: 'log-in', ok: true });
    }
  });
});
