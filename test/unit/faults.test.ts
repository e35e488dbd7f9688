import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../source/chaos/audit.js';
import { ChaosController } from '../../source/chaos/controller.js';
import { checkGuards, type GuardInput } from '../../source/chaos/guards.js';
import { Ledger } from '../../source/chaos/ledger.js';
import type { FaultPorts } from '../../source/chaos/prepare.js';
import {
  checkMemoryLimit,
  effectiveCpus,
  parseCpus,
  parseMemory,
  parseSignal,
  type FaultTarget,
} from '../../source/domain/fault.js';
import { EngineError } from '../../source/docker/errors.js';
import type { ContainerPort, ContainerResources, SwarmPort } from '../../source/docker/port.js';
import { splitBurst } from '../../source/ui/keymap.js';
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

const target: FaultTarget = {
  serviceId: 's',
  serviceName: 'web',
  taskId: 't1',
  slotName: 'web.1',
  containerId: 'c1',
  nodeId: 'n1',
  nodeName: 'vm',
};

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
  ])('%s → %s', (_name, patch, verdict) =>
    expect(checkGuards({ ...base, ...patch }).verdict).toBe(verdict),
  );
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

/** A container engine in memory: enough to see what the controller does and in which order. */
function fakePorts(log: string[], failUnpause = false) {
  const containers = new Map<string, ContainerResources>([
    [
      'c1',
      {
        cpu: { nanoCpus: 5e8, cpuQuota: 0, cpuPeriod: 0 },
        memory: { memory: 128 << 20, memorySwap: 256 << 20 },
        running: true,
        paused: false,
        labels: {},
      },
    ],
  ]);
  const port: Partial<ContainerPort> = {
    endpoint: 'fake',
    inspectResources: async (id) => containers.get(id),
    hostResources: async () => ({ cpus: 2, memoryBytes: 1 << 30 }),
    memoryUsage: async () => 1 << 20,
    pause: async (id) => {
      log.push(`pause ${id}`);
      containers.get(id)!.paused = true;
    },
    unpause: async (id) => {
      log.push(`unpause ${id}`);
      if (failUnpause) throw new EngineError('engine', 'daemon said no');
      containers.get(id)!.paused = false;
    },
    updateCpu: async (id, l) => {
      log.push(`cpu ${id} ${JSON.stringify(l)}`);
      Object.assign(containers.get(id)!.cpu, l);
    },
    kill: async (id, s) => void log.push(`kill ${id} ${s}`),
  };
  const ports: FaultPorts = {
    swarm: {} as SwarmPort,
    containerPort: (n) => (n === 'n1' ? (port as ContainerPort) : undefined),
  };
  return { ports, containers };
}

describe('chaos controller', () => {
  const setup = (failUnpause = false) => {
    const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-'));
    const log: string[] = [];
    const ledger = new Ledger(join(dir, 'ledger.json'));
    const audit = new AuditLog(join(dir, 'audit.log'));
    const { ports, containers } = fakePorts(log, failUnpause);
    const chaos = new ChaosController({ ...ports, ledger, audit, dryRun: false });
    return { dir, log, ledger, chaos, containers, ports };
  };

  it('writes the ledger before applying and undoes last-applied-first', async () => {
    const { log, ledger, chaos } = setup();
    const original = ledger.add.bind(ledger);
    ledger.add = (r) => {
      log.push(`ledger ${r.kind}`);
      original(r);
    };
    await chaos.run({ kind: 'cpu', target, params: { cpus: '0.2', scope: 'container' } });
    await chaos.run({ kind: 'pause', target, params: { duration: '' } });
    expect(ledger.list().map((r) => [r.kind, r.status])).toEqual([
      ['cpu', 'active'],
      ['pause', 'active'],
    ]);
    await chaos.undoAll();
    expect(log).toEqual([
      'ledger cpu',
      'cpu c1 {"nanoCpus":200000000}',
      'ledger pause',
      'pause c1',
      'unpause c1',
      'cpu c1 {"nanoCpus":500000000}',
    ]);
    expect(ledger.list()).toEqual([]);
  });

  it('keeps a failed undo in the ledger as undo-failed, and a retry can succeed', async () => {
    const { ledger, chaos, dir } = setup(true);
    await chaos.run({ kind: 'pause', target, params: {} });
    const summary = await chaos.undoAll();
    expect(summary.failed).toHaveLength(1);
    expect(ledger.list()[0]).toMatchObject({ status: 'undo-failed', error: 'daemon said no' });
    expect(chaos.list()[0]?.status).toBe('undo-failed');
    const audit = readFileSync(join(dir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; result: string });
    expect(audit.map((e) => `${e.action}:${e.result}`)).toEqual(['pause:ok', 'undo pause:failed']);
  });

  it('kill needs no undo and stays out of the ledger', async () => {
    const { ledger, chaos, log } = setup();
    await chaos.run({ kind: 'kill', target, params: { signal: '' } });
    expect(log).toEqual(['kill c1 SIGKILL']);
    expect(ledger.list()).toEqual([]);
    expect(chaos.list()).toEqual([]);
  });

  it('refuses an in-place CPU change on a container without a limit', async () => {
    const { chaos, containers } = setup();
    containers.get('c1')!.cpu = { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0 };
    await expect(
      chaos.run({ kind: 'cpu', target, params: { cpus: '0.2', scope: 'container' } }),
    ).rejects.toThrow(/no CPU limit.*scope to "service"/);
  });

  it('says which --node is missing for a task on another node', async () => {
    const { chaos } = setup();
    await expect(
      chaos.run({
        kind: 'pause',
        target: { ...target, nodeId: 'n2', nodeName: 'labw1' },
        params: {},
      }),
    ).rejects.toThrow('task runs on node labw1; give --node labw1=ssh://user@host or unix:///path');
  });

  it('dry-run changes nothing and writes no ledger', async () => {
    const { ledger, log, ports, dir } = setup();
    const chaos = new ChaosController({
      ...ports,
      ledger,
      audit: new AuditLog(join(dir, 'audit.log')),
      dryRun: true,
    });
    await chaos.run({ kind: 'pause', target, params: {} });
    expect(log).toEqual([]);
    expect(ledger.list()).toEqual([]);
    expect(chaos.list()[0]?.dryRun).toBe(true);
    await chaos.undoAll();
    expect(log).toEqual([]);
  });

  it('finds leftovers of a dead process and restores them when adopted', async () => {
    const { ledger, chaos, containers, log } = setup();
    containers.get('c1')!.paused = true;
    ledger.add({
      id: 'x',
      kind: 'pause',
      target,
      params: {},
      appliedAt: 1,
      undo: { kind: 'unpause', containerId: 'c1', nodeId: 'n1' },
      status: 'active',
      pid: 999_999_999,
    });
    const leftovers = chaos.leftovers();
    expect(leftovers.map((r) => r.id)).toEqual(['x']);
    chaos.adopt(leftovers);
    await chaos.undoAll();
    expect(log).toEqual(['unpause c1']);
    expect(ledger.list()).toEqual([]);
  });
});
