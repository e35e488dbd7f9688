import { describe, expect, it } from 'vitest';
import { readFaultCommand } from '../../source/fault-run/fault-plan.js';
import { resolveTargets } from '../../source/fault-run/targets.js';
import { echo, memoryProblem, readDuration } from '../../source/format/user-input.js';
import { parseCommandLine } from '../../source/store/command-line.js';
import { service, task } from '../helpers/fixtures.js';

describe('odd input gets a reason a person can read', () => {
  it.each([
    ['30s', 30_000],
    ['720h', 720 * 3_600_000],
    ['721h', '"721h" is longer than 30 days (720h); give a shorter window'],
    [
      '9999999999999999h',
      '"9999999999999999h" is longer than 30 days (720h); give a shorter window',
    ],
    ['soon', '"soon" is not a duration (30s, 2m, 1500ms)'],
  ])('duration %j → %j', (text, expected) => {
    const read = readDuration(text);
    expect(typeof read === 'number' ? read : read.error).toBe(expected);
  });

  it.each([
    ['1t', '"1t": "t" is not a unit; use k, m or g (50m, 384m, 1g)'],
    ['5 tb', '"5 tb": "tb" is not a unit; use k, m or g (50m, 384m, 1g)'],
    ['lots', '"lots" is not a memory limit: give one like 50m, 384m or 1g'],
  ])('memory %j → %j', (text, expected) => expect(memoryProblem(text)).toBe(expected));

  it('a pasted line is echoed cut, so the reason stays on screen', () => {
    const long = 'x'.repeat(5000);
    expect(echo(long)).toBe(`"${'x'.repeat(31)}…"`);
    const line = parseCommandLine(long);
    expect(line).toEqual({
      type: 'error',
      message: `no command "${'x'.repeat(31)}…" (Tab completes; ? lists keys)`,
    });
    const pause = parseCommandLine(`pause ${'9'.repeat(5000)}h`);
    expect(pause.type).toBe('fault');
  });

  it.each([
    [{ every: '1ms', times: '2' }, '--every: at least 1s between faults (got 1ms)'],
    [{ every: '999ms', times: '2' }, '--every: at least 1s between faults (got 999ms)'],
    [
      { for: '9999999999999999h' },
      '--for: "9999999999999999h" is longer than 30 days (720h); give a shorter window',
    ],
  ])('fault command flags %j → %s', (flags, error) => {
    const read = readFaultCommand('pause', 'web', {
      waitRecovery: false,
      forceLast: false,
      random: false,
      yes: true,
      ...flags,
    });
    expect(read).toEqual({ error });
  });

  it('an empty re: selects nothing and says how to mean every service', () => {
    const snap = {
      services: [service({ id: 's', name: 'web' })],
      tasks: [task({ id: 't', serviceId: 's', containerId: 'c' })],
      nodes: [],
    };
    expect(resolveTargets('re:', snap as never, { random: false })).toEqual({
      error: 're: needs a pattern (re:^app_, re:api$); re:. means every service',
    });
  });
});
