import { describe, expect, it } from 'vitest';
import { formatAge, parseDuration } from '../../source/domain/duration.js';
import { matchesFilter, parseFilter } from '../../source/domain/filter.js';
import { groupTaskSlots } from '../../source/domain/task-slots.js';
import { isTerminal, parseTaskState } from '../../source/domain/task-state.js';
import { task } from '../helpers/fixtures.js';
import type { Task } from '../../source/domain/types.js';
import { diedByEvent, taskCause } from '../../source/domain/task-cause.js';
import { causeText } from '../../source/format/task-cause.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1500ms', 1500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['10', 10_000],
    [' 45s ', 45_000],
    ['0', undefined],
    ['0s', undefined],
    ['-5s', undefined],
    ['abc', undefined],
    ['5x', undefined],
    ['', undefined],
    ['s', undefined],
  ])('%j → %j', (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe('formatAge', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [12_400, '12s'],
    [59_999, '59s'],
    [180_000, '3m'],
    [7_200_000, '2h'],
    [3 * 86_400_000, '3d'],
    [-5, '0ms'],
  ])('%d ms → %s', (ms, text) => expect(formatAge(ms)).toBe(text));
});

describe('service filter', () => {
  it.each([
    ['', 'lab_web', true],
    ['web', 'lab_web', true],
    ['WEB', 'lab_web', true],
    ['api', 'lab_web', false],
    ['re:^lab_(web|db)$', 'lab_db', true],
    ['re:^lab_(web|db)$', 'lab_dbx', false],
    ['re:^web', 'lab_web', false],
    ['re:(', 'anything', true],
  ])('filter %j on %s → %s', (input, name, expected) =>
    expect(matchesFilter(parseFilter(input), name)).toBe(expected),
  );
  it('reports an invalid regular expression', () => {
    expect(parseFilter('re:(').kind).toBe('invalid');
  });
});

describe('task states', () => {
  it.each([
    ['running', false],
    ['failed', true],
    ['shutdown', true],
    ['complete', true],
    ['preparing', false],
  ] as const)('%s terminal: %s', (state, terminal) => expect(isTerminal(state)).toBe(terminal));
  it('maps unknown names to pending', () => expect(parseTaskState('bogus')).toBe('pending'));
});

describe('groupTaskSlots', () => {
  const svc = { id: 's1', name: 'web' };
  it('puts slots in order and the newest task of a slot first, like docker service ps', () => {
    const slots = groupTaskSlots(svc, [
      task({
        id: 'old1',
        serviceId: 's1',
        slot: 1,
        state: 'failed',
        desiredState: 'shutdown',
        createdAt: 1,
      }),
      task({ id: 'b', serviceId: 's1', slot: 2, createdAt: 2 }),
      task({ id: 'new1', serviceId: 's1', slot: 1, createdAt: 5 }),
      task({
        id: 'older1',
        serviceId: 's1',
        slot: 1,
        state: 'failed',
        desiredState: 'shutdown',
        createdAt: 0,
      }),
      task({ id: 'other', serviceId: 's2', slot: 1, createdAt: 9 }),
    ]);
    expect(slots.map((s) => [s.name, s.current.id, s.history.map((t) => t.id)])).toEqual([
      ['web.1', 'new1', ['old1', 'older1']],
      ['web.2', 'b', []],
    ]);
  });
  it('keys global services by node and names them by node name', () => {
    const slots = groupTaskSlots(
      svc,
      [
        task({ id: 'a', serviceId: 's1', slot: undefined, nodeId: 'n2' }),
        task({ id: 'b', serviceId: 's1', slot: undefined, nodeId: 'n1' }),
      ],
      (id) => (id === 'n1' ? 'alpha' : 'beta'),
    );
    expect(slots.map((s) => s.name).sort()).toEqual(['web.alpha', 'web.beta']);
  });
  it('orders slot 10 after slot 2', () => {
    const slots = groupTaskSlots(svc, [
      task({ id: 'x', serviceId: 's1', slot: 10 }),
      task({ id: 'y', serviceId: 's1', slot: 2 }),
    ]);
    expect(slots.map((s) => s.name)).toEqual(['web.2', 'web.10']);
  });
});

describe('why a task ended', () => {
  const ended = (over: Partial<Task> = {}) =>
    task({
      id: 't',
      serviceId: 's',
      state: 'failed',
      desiredState: 'shutdown',
      exitCode: 137,
      error: 'task: non-zero exit (137)',
      ...over,
    });
  it.each([
    ['still running', task({ id: 't', serviceId: 's' }), {}, undefined],
    ['an oom event', ended(), { oom: true }, 'OOM killed'],
    [
      'unhealthy, then killed by Swarm',
      ended(),
      { unhealthy: true, killSignal: 'SIGKILL' },
      'unhealthy: killed by Swarm',
    ],
    [
      'unhealthy after 3 failing probes',
      ended(),
      { unhealthy: true, failingProbes: 3, killSignal: 'SIGKILL' },
      'unhealthy (3 failing probes)',
    ],
    ['a kill from outside', ended(), { killSignal: 'SIGKILL' }, 'killed from outside (SIGKILL)'],
    [
      'chaosdeck’s kill',
      ended(),
      { killSignal: 'SIGKILL', killedByChaosdeck: true },
      'killed by chaosdeck (SIGKILL)',
    ],
    [
      'an update’s shutdown (its SIGTERM is Swarm’s)',
      ended({ state: 'shutdown', error: undefined, exitCode: 143 }),
      { killSignal: 'SIGTERM' },
      'shut down by Swarm (update or scale)',
    ],
    [
      'rejected',
      ended({
        state: 'rejected',
        error: 'no suitable node (scheduling constraints not satisfied)',
      }),
      {},
      'rejected: no suitable node (scheduling constraints not satisfied)',
    ],
    ['its node went away', ended({ state: 'orphaned' }), {}, 'node down'],
    [
      'a dockerd restart: the shutdown’s kill, then Swarm finds no container',
      ended({ state: 'failed', error: 'No such container: 0c1f2e3d', exitCode: 0 }),
      { killSignal: 'SIGKILL' },
      'its engine lost the container (dockerd restarted?)',
    ],
    ['exit 1 without an error text', ended({ exitCode: 1, error: undefined }), {}, 'exited 1'],
    ['only Swarm’s error: keep it', ended(), {}, undefined],
  ])('%s', (_name, t, facts, text) => {
    const cause = taskCause(t, facts);
    expect(cause && causeText(cause)).toBe(text);
  });
});

describe('a task as its container die event shows it, before Swarm says so', () => {
  const live = task({
    id: 't',
    serviceId: 's',
    state: 'running',
    stateSince: 1000,
    containerId: 'c',
  });
  it.each([
    ['no event: as listed', live, undefined, undefined],
    [
      'die 137 after it started: failed since the event',
      live,
      { died: { at: 5000, exitCode: 137 } },
      { state: 'failed', stateSince: 5000, exitCode: 137 },
    ],
    [
      'die 0: complete',
      live,
      { died: { at: 5000, exitCode: 0 } },
      { state: 'complete', stateSince: 5000, exitCode: 0 },
    ],
    [
      'Swarm already says failed: its word',
      { ...live, state: 'failed' as const },
      { died: { at: 5000, exitCode: 137 } },
      undefined,
    ],
    [
      'an event older than the state: not this run',
      live,
      { died: { at: 500, exitCode: 1 } },
      undefined,
    ],
  ])('%s', (_name, t, facts, shown) => {
    const early = diedByEvent(t, facts);
    if (shown === undefined) expect(early).toBeUndefined();
    else expect(early).toMatchObject(shown);
  });
});
