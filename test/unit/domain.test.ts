import { describe, expect, it } from 'vitest';
import { formatAge, parseDuration } from '../../source/domain/duration.js';
import { matchesFilter, parseFilter } from '../../source/domain/filter.js';
import { groupTaskSlots } from '../../source/domain/task-slots.js';
import { isTerminal, parseTaskState } from '../../source/domain/task-state.js';
import { task } from '../helpers/fixtures.js';

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
