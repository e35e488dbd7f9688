import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultPorts } from '../../source/faults/fault-ports.js';
import type { EngineEvent } from '../../source/domain/types.js';
import { causeText } from '../../source/format/task-cause.js';
import { recoveryLine } from '../../source/format/recovery-lines.js';
import { RecoveryTracker } from '../../source/live/recovery-tracker.js';
import { gameDayModel } from '../../source/record/game-day-model.js';
import { reportMarkdown } from '../../source/record/report-md.js';
import { CauseFacts } from '../../source/game-day/cause-facts.js';
import { readJournal } from '../../source/record/journal-read.js';
import { Journal } from '../../source/game-day/journal.js';
import { TaskJournal } from '../../source/game-day/task-journal.js';
import { containerHealth, service, task } from '../helpers/fixtures.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');
const api = service({ id: 's1', name: 'api' });
const running = task({ id: 't1', serviceId: 's1', containerId: 'c1', stateSince: T0 });
// How Swarm lists a task whose container was killed: failed, 137, its own error text.
const failed = {
  ...running,
  state: 'failed' as const,
  desiredState: 'shutdown' as const,
  stateSince: T0 + 50,
  exitCode: 137,
  error: 'task: non-zero exit (137)',
};
const event = (action: string, over: Partial<EngineEvent> = {}): EngineEvent => ({
  type: 'container',
  action,
  id: 'c1',
  time: T0 + 40,
  ...over,
});

describe('why a task ended, as the session learns it from events', () => {
  const cases: [string, (f: CauseFacts) => void, string | undefined][] = [
    ['nothing heard: Swarm says it all', () => {}, undefined],
    [
      'a kill from elsewhere',
      (f) => f.note(event('kill', { signal: 'SIGKILL' })),
      'killed from outside (SIGKILL)',
    ],
    [
      "chaosdeck's own kill",
      (f) => {
        f.markChaosdeck('c1', 'kill');
        f.note(event('kill', { signal: 'SIGKILL' }));
      },
      'killed by chaosdeck (SIGKILL)',
    ],
    [
      "chaosdeck's own kill, no event heard (a command follows no stream)",
      (f) => f.markChaosdeck('c1', 'kill', 'SIGKILL'),
      'killed by chaosdeck (SIGKILL)',
    ],
    [
      "chaosdeck's own stop (a command hears no event of its signals)",
      (f) => f.markChaosdeck('c1', 'stop'),
      'stopped by chaosdeck (docker stop)',
    ],
    [
      "chaosdeck's own stop, with the SIGTERM it sent heard as an event",
      (f) => {
        f.markChaosdeck('c1', 'stop');
        f.note(event('kill', { signal: 'SIGTERM' }));
      },
      'stopped by chaosdeck (docker stop)',
    ],
    [
      'the OOM killer (its kill is the kernel, not a person)',
      (f) => {
        f.note(event('oom'));
        f.note(event('kill', { signal: 'SIGKILL' }));
      },
      'OOM killed',
    ],
    [
      'another container killed',
      (f) => f.note(event('kill', { id: 'c2', signal: '9' })),
      undefined,
    ],
    ['a probe ending says nothing', (f) => f.note(event('exec_die')), undefined],
    [
      'unhealthy, as an inspection saw it (its failing streak)',
      (f) => f.noteHealth('c1', containerHealth({ status: 'unhealthy', failingStreak: 3 })),
      'unhealthy (3 failing probes)',
    ],
    [
      "paused: Docker's unhealthy mark with no probe failed is no cause",
      (f) =>
        f.noteHealth(
          'c1',
          containerHealth({ status: 'unhealthy', failingStreak: 0, paused: true }),
        ),
      undefined,
    ],
    [
      'killed from outside; inspected after, its cut-short probe failed (Docker: unhealthy, 1)',
      (f) => {
        f.note(event('kill', { signal: 'SIGKILL' }));
        f.noteHealth(
          'c1',
          containerHealth({ status: 'unhealthy', failingStreak: 1, running: false }),
        );
      },
      'killed from outside (SIGKILL)',
    ],
    [
      'healthy when inspected',
      (f) => f.noteHealth('c1', containerHealth({ status: 'healthy', failingStreak: 0 })),
      undefined,
    ],
  ];
  it.each(cases)('%s', (_, feed, text) => {
    const facts = new CauseFacts();
    feed(facts);
    const cause = facts.causeOf(failed);
    expect(cause ? causeText(cause) : undefined).toBe(text);
  });

  it('tells of each new fact, and gives them all by container as a copy', () => {
    let told = 0;
    const facts = new CauseFacts(() => told++);
    facts.note(event('exec_die'));
    expect(told).toBe(0);
    facts.note(event('kill', { signal: 'SIGKILL' }));
    facts.markChaosdeck('c2', 'kill', 'SIGTERM');
    expect(told).toBe(2);
    const all = facts.all();
    expect(all).toEqual({
      c1: { killSignal: 'SIGKILL' },
      c2: { killedByChaosdeck: true, killSignal: 'SIGTERM' },
    });
    delete all.c1;
    expect(facts.causeOf(failed)).toBeDefined();
  });

  it('keeps the newest thousand containers only', () => {
    const facts = new CauseFacts();
    facts.note(event('kill', { signal: 'SIGKILL' }));
    for (let i = 0; i < 1000; i++) facts.note(event('kill', { id: `other${i}`, signal: '9' }));
    expect(facts.causeOf(failed)).toBeUndefined();
    expect(facts.causeOf({ ...failed, containerId: 'other999' })).toBeDefined();
  });
});

describe('a recovery and the journal name the cause', () => {
  it('the episode, its journal line, the task line and the report say "killed from outside"', async () => {
    const facts = new CauseFacts();
    const file = join(mkdtempSync(join(tmpdir(), 'cd-causes-')), 'day.jsonl');
    const journal = new Journal(file, 's1');
    const ports = { swarm: undefined, containerPort: () => undefined } as unknown as FaultPorts;
    const tasks = new TaskJournal(journal, ports, undefined, (t) => facts.causeOf(t));
    tasks.touch('s1');
    const tracker = new RecoveryTracker({
      healthOf: async () => undefined,
      causeOf: (t) => facts.causeOf(t),
      onChange: (episodes) => tasks.recoveries(episodes),
    });
    tasks.observe([running], [api]);
    await tracker.observe([running], [api]);
    // The node's events come before Swarm's task list says failed.
    facts.note(event('kill', { signal: 'SIGKILL' }));
    facts.note(event('die', { exitCode: 137, time: T0 + 45 }));
    tasks.observe([failed], [api]);
    await tracker.observe([failed], [{ ...api, running: 0 }]);

    const [episode] = tracker.list();
    expect(episode?.cause).toEqual({ kind: 'killed', by: 'outside', signal: 'SIGKILL' });
    expect(recoveryLine(episode!)).toMatch(/\(killed from outside \(SIGKILL\)\)$/);
    const events = readJournal(file).events;
    const line = events.find((e) => e.type === 'task' && e.state === 'failed');
    expect(line).toMatchObject({ cause: { kind: 'killed', by: 'outside' } });
    const md = reportMarkdown(gameDayModel(events), file);
    expect(md).toContain(
      '| api.1 | 10:00:00.050 | killed from outside (SIGKILL), failed, exit 137 | – | not read | no healthcheck | – | – | 0 |',
    );
  });

  it('a cause heard after Swarm listed the failure still reaches the open episode', async () => {
    const facts = new CauseFacts();
    const tracker = new RecoveryTracker({
      healthOf: async () => undefined,
      causeOf: (t) => facts.causeOf(t),
      onChange: () => {},
    });
    await tracker.observe([running], [api]);
    await tracker.observe([failed], [{ ...api, running: 0 }]);
    expect(tracker.list()[0]?.cause).toBeUndefined();
    facts.note(event('oom'));
    await tracker.observe([failed], [{ ...api, running: 0 }]);
    expect(tracker.list()[0]?.cause).toEqual({ kind: 'oom' });
  });
});
