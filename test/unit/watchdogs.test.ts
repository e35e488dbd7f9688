import { describe, expect, it } from 'vitest';
import { watchdogArgs, watchdogPromise, Watchdogs } from '../../source/chaos/watchdogs.js';
import { ClusterLedger, settleWithSwarm } from '../../source/chaos/cluster-ledger.js';
import {
  watchdogDue,
  watchOver,
  WATCHDOG_SLACK_MS,
  type WatchdogDeps,
} from '../../source/commands/watchdog-command.js';
import { readSettings } from '../../source/entry/settings.js';
import type { FaultRecord } from '../../source/domain/fault.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';
import { configs, plan } from '../helpers/swarm-configs.js';
import { undoMethod } from '../../source/faults/net/net-method.js';
import type { ContainerPort } from '../../source/docker/port.js';

describe('when a watchdog acts (the swarm’s times)', () => {
  const at = { createdAt: 100_000, updatedAt: 100_000 };
  it.each([
    ['a window, before its end', { endsInMs: 20_000 }, 119_000, undefined],
    ['a window, at its end (a live holder goes first)', { endsInMs: 20_000 }, 120_000, undefined],
    [
      'a window, past its end and the slack',
      { endsInMs: 20_000 },
      120_000 + WATCHDOG_SLACK_MS,
      'its 20 s window is over',
    ],
    ['a silent holder, within the grace', { graceMs: 60_000 }, 159_999, undefined],
    [
      'a silent holder, past the grace',
      { graceMs: 60_000 },
      160_000,
      'its holder has said nothing for 60 s (grace 60 s)',
    ],
    ['a command’s fault, before the max hold', { maxHoldMs: 3_600_000 }, 3_699_999, undefined],
    [
      'a command’s fault, at the max hold',
      { maxHoldMs: 3_600_000 },
      3_700_000,
      'it has been active 3600 s, the longest a command’s fault is left (--max-hold)',
    ],
  ])('%s', (_name, timing, now, why) => {
    expect(watchdogDue(timing, at, now)).toBe(why?.replace('command’s', "command's"));
  });

  it('a heartbeat (the record changed) puts the grace off', () => {
    expect(watchdogDue({ graceMs: 60_000 }, { createdAt: 0, updatedAt: 50_000 }, 100_000)).toBe(
      undefined,
    );
  });
});

describe('what a watchdog is told, and what the dialog and command say', () => {
  const base = { id: 'f1', appliedAt: 1000 } as FaultRecord;
  it.each([
    ['a window', { ...base, endsAt: 21_000 }, plan, ['--ends-in', '20000ms']],
    ['an untimed fault of a console', base, plan, ['--holder-grace', '60000ms']],
    [
      'an untimed fault a command leaves',
      base,
      { ...plan, maxHoldMs: 3_600_000 },
      ['--max-hold', '3600000ms'],
    ],
  ])('%s', (_name, record, p, when) => {
    expect(watchdogArgs(record, p)).toEqual([
      'watchdog',
      'f1',
      ...when,
      '--helper-image',
      'docker:cli',
      '--helper-socket',
      '/var/run/docker.sock',
    ]);
  });

  it.each([
    [{ endsAt: 1 }, plan, 'its window ends on time even without chaosdeck (watchdog on a manager)'],
    [{}, plan, 'the cluster undoes it 1 min after chaosdeck goes silent (--holder-grace)'],
    [
      {},
      { ...plan, maxHoldMs: 3_600_000 },
      'the cluster undoes it 1 h after it was applied unless undone before (--max-hold)',
    ],
    [{}, undefined, 'ends only while chaosdeck runs (no watchdog)'],
  ])('%j → %s', (record, p, said) => {
    expect(watchdogPromise('endsAt' in record, p)).toBe(said);
  });
});

describe('arming', () => {
  it('a watchdog that cannot be created leaves the fault as before, said; one created is removed after the undo', async () => {
    const warnings: string[] = [];
    const calls: string[] = [];
    const refusing = new Watchdogs(
      {
        startWatchdog: async () => {
          throw new Error('permission denied');
        },
        removeWatchdog: async () => true,
        watchdogTask: async () => undefined,
      },
      plan,
      (m) => warnings.push(m),
    );
    const { swarm } = configs();
    const setup = controllerSetup(false, {
      cluster: new ClusterLedger(swarm, 'ana@laptop'),
      watchdogs: refusing,
    });
    await setup.chaos.run({ kind: 'pause', target, params: {} });
    expect(setup.log).toEqual(['pause c1']);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^pause web\.1: no watchdog \(permission denied\): it ends only while chaosdeck runs$/,
      ),
    ]);
    const armed = new Watchdogs(
      {
        startWatchdog: async (spec) => void calls.push(`start ${spec.args.slice(0, 4).join(' ')}`),
        removeWatchdog: async (id) => Boolean(calls.push(`remove ${id}`)),
        watchdogTask: async () => ({ state: 'running' }),
      },
      plan,
      (m) => warnings.push(m),
    );
    const second = controllerSetup(false, {
      cluster: new ClusterLedger(swarm, 'ana@laptop'),
      watchdogs: armed,
    });
    const r = (await second.chaos.run({
      kind: 'pause',
      target,
      params: { duration: '30s' },
    }))!;
    await second.chaos.undoAll();
    expect(calls).toEqual([`start watchdog ${r.id} --ends-in 30000ms`, `remove ${r.id}`]);
    second.chaos.dispose();
  });

  it('says when the watchdog’s image is not on the managers', async () => {
    const warnings: string[] = [];
    const w = new Watchdogs(
      {
        startWatchdog: async () => undefined,
        removeWatchdog: async () => true,
        watchdogTask: async () => ({ state: 'rejected', error: 'No such image: chaosdeck:latest' }),
      },
      plan,
      (m) => warnings.push(m),
    );
    await w.arm({ id: 'f', kind: 'pause', params: {}, target } as unknown as FaultRecord);
    await expect
      .poll(() => warnings)
      .toEqual([
        expect.stringContaining(
          'no watchdog (the image chaosdeck:local is not on the managers; load it or give --watchdog-image)',
        ),
      ]);
  });
});

describe('the watchdog’s life', () => {
  function life(reads: (undefined | { createdAt: number; updatedAt: number })[], outcome = 'done') {
    const said: string[] = [];
    let now = 0;
    let undos = 0;
    const record = {
      id: 'f1',
      kind: 'pause',
      params: {},
      target,
      appliedAt: 0,
      pid: 1,
      status: 'active',
      undo: { kind: 'unpause', containerId: 'c1' },
    } as unknown as FaultRecord;
    const deps: WatchdogDeps = {
      read: async () => {
        const r = reads.shift();
        return r ? { record, owner: 'ana@laptop', aliveAt: 0, ...r } : undefined;
      },
      undo: async () => {
        undos++;
        return outcome as 'done';
      },
      say: (l) => said.push(l),
      now: () => now,
      sleep: async (ms) => void (now += ms),
    };
    return { deps, said, undos: () => undos };
  }

  it('ends quietly when its holder undid the fault first', async () => {
    const l = life([{ createdAt: 0, updatedAt: 0 }]);
    expect(await watchOver({ endsInMs: 20_000 }, l.deps)).toBe(
      'its record is gone: the fault was undone by its holder',
    );
    expect(l.undos()).toBe(0);
  });

  it('undoes once when due, then waits for the record to go (a failed undo is retried by the controller)', async () => {
    const rec = { createdAt: 0, updatedAt: 0 };
    const l = life([rec, rec, rec, rec], 'failed');
    expect(await watchOver({ graceMs: 0 }, l.deps)).toBe('the fault is undone and its record gone');
    expect(l.undos()).toBe(1);
    expect(l.said).toContain('the undo failed; trying again');
  });

  it('finding the target gone, or another undoing it, looks again 5 s later', async () => {
    const rec = { createdAt: 0, updatedAt: 0 };
    const l = life(
      Array.from({ length: 12 }, () => rec),
      'gone',
    );
    await watchOver({ graceMs: 0 }, l.deps);
    expect(l.undos()).toBe(2);
  });
});

describe('the local ledger squared with the swarm', () => {
  it('drops entries of dead holders whose record the swarm no longer holds; keeps the rest', async () => {
    const { swarm } = configs();
    const cluster = new ClusterLedger(swarm, 'ana@laptop');
    const setup = controllerSetup(false, { cluster });
    const kept = (await setup.chaos.run({ kind: 'pause', target, params: {} }))!;
    const gone = (await setup.chaos.run({ kind: 'cpu', target, params: { cpus: '0.2' } }))!;
    await cluster.remove(gone.id);
    const dead = { pid: 999_999, pidStart: 'x' };
    const ledger = {
      list: () => setup.ledger.list().map((r) => ({ ...r, ...dead })),
      remove: (id: string) => setup.ledger.remove(id),
    };
    expect((await settleWithSwarm(ledger, cluster)).map((r) => r.id)).toEqual([gone.id]);
    expect(setup.ledger.list().map((r) => r.id)).toEqual([kept.id]);
    // A swarm that cannot be read changes nothing.
    const down = { list: async () => Promise.reject(new Error('down')) };
    expect(await settleWithSwarm(ledger, down)).toEqual([]);
    setup.chaos.dispose();
  });
});

describe('watchdog settings', () => {
  const env = { XDG_STATE_HOME: '/tmp/x', CHAOSDECK_WATCHDOG_IMAGE: 'lab/chaosdeck:1' };
  const flags = { node: [], protect: [], probe: [], probeInterval: '1s', probeTimeout: '10s' };
  it.each([
    ['defaults', {}, { image: 'lab/chaosdeck:1', graceMs: 60_000, maxHoldMs: 3_600_000 }],
    [
      'flags',
      { watchdogImage: 'me/cd:2', holderGrace: '20s', maxHold: '10m' },
      { image: 'me/cd:2', graceMs: 20_000, maxHoldMs: 600_000 },
    ],
    ['--no-watchdog', { watchdog: false }, undefined],
    ['--no-helpers', { helpers: false }, undefined],
  ])('%s', (_name, given, expected) => {
    const w = readSettings({ ...flags, ...given }, env).watchdog;
    if (expected) expect(w).toMatchObject(expected);
    else expect(w).toBeUndefined();
  });

  it.each([
    [{ holderGrace: '5s' }, /--holder-grace 5s: at least 15s/],
    [{ maxHold: 'soon' }, /--max-hold/],
    [{ watchdogImage: ' ' }, /--watchdog-image needs a value/],
  ])('refuses %j', (given, message) => {
    expect(() => readSettings({ ...flags, ...given }, env)).toThrow(message);
  });
});

describe('a network undo from where it runs', () => {
  it.each([
    [['nsenter', 'helper'], 'nsenter', 'nsenter'],
    [['helper'], 'nsenter', 'helper'],
    [['nsenter', 'helper'], 'helper', 'helper'],
    [[], 'helper', 'helper'],
  ] as const)('offered %j, applied by %s: undone by %s', (offered, applied, used) => {
    const port = { netMethods: () => [...offered] } as unknown as ContainerPort;
    expect(undoMethod(port, applied)).toBe(used);
  });
});
