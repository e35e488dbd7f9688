import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../source/chaos/audit.js';
import { ChaosController } from '../../source/chaos/controller.js';
import type { FaultEvent } from '../../source/chaos/controller.js';
import type { SwarmPort } from '../../source/docker/port.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';
import { node } from '../helpers/fixtures.js';

describe('chaos controller', () => {
  const setup = (failUnpause = false) => controllerSetup(failUnpause);

  it('writes the ledger before applying and undoes last-applied-first', async () => {
    const { log, ledger, chaos } = setup();
    const original = ledger.add.bind(ledger);
    ledger.add = (r) => {
      log.push(`ledger ${r.kind}`);
      return original(r);
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

  it("a fault's own safety check refusing it: audited and journaled as refused, not failed", async () => {
    const events: FaultEvent[] = [];
    const nodes = [
      node({ id: 'm1', hostname: 'mgr1', leader: true, ip: '10.0.0.1', state: 'ready' }),
      node({
        id: 'm2',
        hostname: 'mgr2',
        ip: '10.0.0.2',
        reachability: 'reachable',
        state: 'ready',
      }),
    ];
    const swarm = {
      listNodes: () => Promise.resolve(nodes),
      info: () => Promise.resolve({ nodeId: 'm1' }),
    };
    const { chaos, dir, log } = controllerSetup(false, {
      onFault: (e) => events.push(e),
      swarm: swarm as unknown as SwarmPort,
    });
    const onM2 = { ...target, nodeId: 'm2', nodeName: 'mgr2' };
    await expect(
      chaos.run({ kind: 'partition', target: onM2, params: { duration: '30s' } }),
    ).rejects.toThrow(/below quorum/);
    expect(events.map((e) => e.type)).toEqual(['refused']);
    const audit = readFileSync(join(dir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; result: string });
    expect(audit.map((e) => `${e.action}:${e.result}`)).toEqual(['partition:refused']);
    expect(log).toEqual([]);
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
    await ledger.add({
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
    await chaos.adopt(leftovers);
    await chaos.undoAll();
    expect(log).toEqual(['unpause c1']);
    expect(ledger.list()).toEqual([]);
  });
});
