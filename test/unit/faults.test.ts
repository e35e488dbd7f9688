import { describe, expect, it } from 'vitest';
import { checkGuards, type GuardInput } from '../../source/chaos/guards.js';
import {
  checkMemoryLimit,
  effectiveCpus,
  parseCpus,
  parseMemory,
  parseSignal,
} from '../../source/domain/fault.js';
import { splitBurst } from '../../source/ui/keymap.js';
import { target } from '../helpers/fake-chaos.js';
import { task } from '../helpers/fixtures.js';

describe('fault parameters', () => {
  it.each([
    ['', 'SIGKILL'],
    ['kill', 'SIGKILL'],
    ['sigterm', 'SIGTERM'],
    ['15', 'SIGTERM'],
    ['HUP', 'SIGHUP'],
    ['SIGUSR1', undefined],
    ['abc', undefined],
  ])('signal %j → %j', (text, signal) => expect(parseSignal(text)).toBe(signal));

  it.each([
    ['50m', 50 * 1024 ** 2],
    ['384MB', 384 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    ['65536', 65536],
    ['0', undefined],
    ['-5m', undefined],
    ['abc', undefined],
    ['5x', undefined],
  ])('memory %j → %j', (text, bytes) => expect(parseMemory(text)).toBe(bytes));

  it.each([
    ['0.2', 0.5, 2, { cpus: 0.2 }],
    ['40%', 0.5, 2, { cpus: 0.2 }],
    ['1.5', 0, 2, { cpus: 1.5 }],
    ['3', 0.5, 2, { error: 'CPU limit 3 is more than the node’s 2 CPUs' }],
    ['0', 0.5, 2, { error: 'CPU limit must be at least 0.01 (got 0)' }],
    [
      'abc',
      0.5,
      2,
      { error: '"abc" is not a CPU limit: give CPUs (0.2) or a % of the current one (50%)' },
    ],
    ['50%', 0, 2, { error: 'a % needs a current CPU limit; give CPUs, e.g. 0.2' }],
  ])('cpus %j (current %d, host %d) → %j', (text, current, host, out) => {
    const result = parseCpus(text, current, host);
    if ('error' in out) expect('error' in result && result.error.replace("'", '’')).toBe(out.error);
    else expect(result).toEqual(out);
  });

  it.each([
    [{ nanoCpus: 5e8, cpuQuota: 0, cpuPeriod: 0 }, 0.5],
    [{ nanoCpus: 0, cpuQuota: 20_000, cpuPeriod: 100_000 }, 0.2],
    [{ nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0 }, 0],
  ])('effective CPUs of %j = %d', (limits, cpus) => expect(effectiveCpus(limits)).toBe(cpus));

  it.each([
    [50 * 1024 ** 2, 10 * 1024 ** 2, 1024 ** 3, undefined],
    [undefined, 0, 0, 'give a memory limit like 50m, 384m or 1g'],
    [1024 ** 2, 0, 0, /at least 6m/],
    [4 * 1024 ** 3, 0, 1024 ** 3, /more than the node/],
    [50 * 1024 ** 2, 80 * 1024 ** 2, 0, /below the container's current usage 80.0 MiB/],
  ])('memory limit %j with usage %d, host %d', (bytes, usage, host, problem) => {
    const result = checkMemoryLimit(bytes, usage, host);
    if (problem === undefined) expect(result).toBeUndefined();
    else if (typeof problem === 'string') expect(result).toBe(problem);
    else expect(result).toMatch(problem);
  });
});

describe('guards', () => {
  const base: GuardInput = {
    kind: 'kill',
    target,
    service: { name: 'web', labels: {}, hasHealthcheck: true },
    serviceTasks: [
      task({ id: 't1', serviceId: 's', containerId: 'c1' }),
      task({ id: 't2', serviceId: 's', slot: 2, containerId: 'c2' }),
    ],
    healthyByContainer: { c2: true },
    protect: [],
    readOnly: false,
  };
  it.each([
    ['another healthy replica runs', {}, 'allow'],
    ['read-only', { readOnly: true }, 'refuse'],
    [
      'protected by label',
      { service: { ...base.service, labels: { 'chaosdeck.protect': 'true' } } },
      'refuse',
    ],
    ['protected by --protect', { protect: [/^w/] }, 'refuse'],
    ['own container', { selfContainerId: 'c1' }, 'refuse'],
    ['last running replica', { serviceTasks: [base.serviceTasks[0]!] }, 'confirm-name'],
    ['last healthy replica', { healthyByContainer: { c2: false } }, 'confirm-name'],
    ['health of the other unknown', { healthyByContainer: {} }, 'confirm-name'],
    [
      'last replica but no healthcheck and another runs',
      { service: { ...base.service, hasHealthcheck: false }, healthyByContainer: {} },
      'allow',
    ],
    [
      'cpu on the last replica',
      { kind: 'cpu' as const, serviceTasks: [base.serviceTasks[0]!] },
      'allow',
    ],
    ['the other paused', { outOfService: { c2: 'paused' as const } }, 'confirm-name'],
    ['the other under a cpu fault', { outOfService: { c2: 'cpu' as const } }, 'confirm-name'],
    [
      'the other paused, no healthcheck',
      {
        service: { ...base.service, hasHealthcheck: false },
        outOfService: { c2: 'pause' as const },
      },
      'confirm-name',
    ],
    ['a fault on some other container', { outOfService: { c9: 'pause' as const } }, 'allow'],
  ])('%s → %s', (_name, patch, verdict) =>
    expect(checkGuards({ ...base, ...patch }).verdict).toBe(verdict),
  );

  it('names the replicas that do not serve', () => {
    const three = [
      ...base.serviceTasks,
      task({ id: 't3', serviceId: 's', slot: 3, containerId: 'c3' }),
    ];
    expect(
      checkGuards({ ...base, serviceTasks: three, outOfService: { c2: 'paused', c3: 'net' } }),
    ).toEqual({
      verdict: 'confirm-name',
      name: 'web',
      reason: 'this is the last serving replica of web (web.2 paused, web.3 under a net fault)',
    });
  });
});

describe('splitBurst', () => {
  it.each([
    ['a', [['a', {}]]],
    [
      '0.2\r',
      [
        ['0.2', {}],
        ['', { return: true }],
      ],
    ],
    [
      '\u007F\u007F',
      [
        ['', { delete: true }],
        ['', { delete: true }],
      ],
    ],
    [
      'ab\tc',
      [
        ['ab', {}],
        ['', { tab: true }],
        ['c', {}],
      ],
    ],
  ])('%j', (input, presses) => expect(splitBurst(input, {})).toEqual(presses));
  it.each([
    [
      'jj',
      [
        ['j', {}],
        ['j', {}],
      ],
    ],
    [
      'gG',
      [
        ['g', {}],
        ['G', {}],
      ],
    ],
    [
      'j\r',
      [
        ['j', {}],
        ['', { return: true }],
      ],
    ],
  ])('outside text entry %j is one key per character', (input, presses) =>
    expect(splitBurst(input, {}, false)).toEqual(presses),
  );
});
