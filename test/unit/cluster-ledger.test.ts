import { describe, expect, it } from 'vitest';
import {
  CLAIM_STALE_MS,
  ClusterLedger,
  FAULT_LABEL,
  recordName,
} from '../../source/chaos/cluster-ledger.js';
import { configs } from '../helpers/swarm-configs.js';
import { everyOwnersFaults, statusJson } from '../../source/commands/status-command.js';
import { runUndoCommand } from '../../source/commands/undo-command.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';

describe('the ledger in the swarm', () => {
  it('records a fault in the swarm before the change, and removes it after the undo', async () => {
    const sink = { lines: [] as string[] };
    const { store, swarm } = configs(sink);
    const cluster = new ClusterLedger(swarm, 'ana@laptop');
    const setup = controllerSetup(false, { cluster });
    // One log for the swarm and the engine: the order they were asked in.
    sink.lines = setup.log;
    const record = await setup.chaos.run({ kind: 'pause', target, params: { duration: '' } });
    const id = record!.id;
    expect(store.has(recordName(id))).toBe(true);
    expect((await cluster.list()).records).toEqual([
      {
        record: expect.objectContaining({ id, kind: 'pause' }),
        owner: 'ana@laptop',
        aliveAt: expect.any(Number),
      },
    ]);
    await setup.chaos.undoAll();
    expect(store.size).toBe(0);
    // The undo is claimed on the record before it runs (so it runs once); the record goes after.
    expect(setup.log).toEqual([
      `config create ${id}`,
      'pause c1',
      `config claim ${id}`,
      'unpause c1',
      `config rm ${id}`,
    ]);
  });

  it('leaves the undo to whoever claimed it first; a failed undo lets the claim go, said in the swarm', async () => {
    const { store, swarm } = configs();
    const cluster = new ClusterLedger(swarm, 'ana@laptop');
    const first = controllerSetup(false, { cluster });
    const a = (await first.chaos.run({ kind: 'pause', target, params: {} }))!;
    // Another operator claimed it a moment ago and is undoing it.
    await new ClusterLedger(swarm, 'bo@desk').claim(a.id, 'bo@desk pid 7', Date.now());
    const summary = await first.chaos.undoAll();
    expect(summary.gone.map((r) => r.id)).toEqual([a.id]);
    expect(first.log).toEqual(['pause c1']);
    expect(store.has(recordName(a.id))).toBe(true);
    // A claim older than CLAIM_STALE_MS is a claimer that died: taken over.
    const stale = await new ClusterLedger(swarm, 'cy@box').claim(
      a.id,
      'cy@box pid 9',
      Date.now() + CLAIM_STALE_MS + 1000,
    );
    expect(stale).toBe('claimed');
    const failing = controllerSetup(true, { cluster });
    const b = (await failing.chaos.run({ kind: 'pause', target, params: {} }))!;
    expect((await failing.chaos.undoAll()).failed).toHaveLength(1);
    const left = store.get(recordName(b.id))!.labels;
    expect(left['chaosdeck.status']).toBe('undo-failed');
    expect(left['chaosdeck.claimed-by']).toBe('');
    failing.chaos.dispose();
  });

  it('a claim by a process of this machine that is gone is taken over; a live one is not', async () => {
    const { swarm } = configs();
    const cluster = new ClusterLedger(swarm, 'ana@laptop');
    const setup = controllerSetup(false, { cluster });
    const a = (await setup.chaos.run({ kind: 'pause', target, params: {} }))!;
    // A restore of this machine after a quit whose undo hung: its claim came through later.
    await cluster.claim(a.id, 'ana@laptop pid 999999', Date.now());
    expect(await setup.chaos.undo(a.id)).toBe('done');
    expect(setup.log).toEqual(['pause c1', 'unpause c1']);
    const b = (await setup.chaos.run({ kind: 'pause', target, params: {} }))!;
    await cluster.claim(b.id, `ana@laptop pid ${process.ppid}`, Date.now());
    expect(await setup.chaos.undo(b.id)).toBe('gone');
  });

  it('refuses the fault when the swarm does not take the record: nothing applied, nothing left', async () => {
    const { swarm } = configs(undefined, 'permission denied');
    const { chaos, ledger, log } = controllerSetup(false, {
      cluster: new ClusterLedger(swarm, 'a@b'),
    });
    await expect(chaos.run({ kind: 'pause', target, params: {} })).rejects.toThrow(
      /the swarm did not take the fault's record \(permission denied\), so nothing was applied/,
    );
    expect(log).toEqual([]);
    expect(ledger.list()).toEqual([]);
    expect(chaos.list()).toEqual([]);
  });

  it('keeps kills (nothing to undo) and dry runs (nothing changed) out of the swarm', async () => {
    const { store, swarm } = configs();
    const cluster = new ClusterLedger(swarm, 'a@b');
    await controllerSetup(false, { cluster }).chaos.run({ kind: 'kill', target, params: {} });
    await controllerSetup(false, { cluster, dryRun: true }).chaos.run({
      kind: 'pause',
      target,
      params: {},
    });
    expect(store.size).toBe(0);
  });

  it('names a record it cannot read and uses the others', async () => {
    const { store, swarm } = configs();
    store.set('chaosdeck-fault-x', {
      name: 'chaosdeck-fault-x',
      labels: { [FAULT_LABEL]: 'x' },
      data: '{',
      createdAt: 0,
      updatedAt: 0,
    });
    store.set('chaosdeck-fault-y', {
      name: 'chaosdeck-fault-y',
      labels: { [FAULT_LABEL]: 'y' },
      data: '{"id":"y"}',
      createdAt: 0,
      updatedAt: 0,
    });
    const { records, invalid } = await new ClusterLedger(swarm, 'a@b').list();
    expect(records).toEqual([]);
    expect(invalid).toEqual([
      'chaosdeck-fault-x: not JSON',
      expect.stringMatching(/^chaosdeck-fault-y: /),
    ]);
  });
});

describe('status shows every owner', () => {
  it("lists this machine's faults and the swarm's others, each once, marking another owner's", async () => {
    const { swarm } = configs();
    const other = new ClusterLedger(swarm, 'bo@desk');
    const mine = controllerSetup(false, { cluster: new ClusterLedger(swarm, 'ana@laptop') });
    const own = await mine.chaos.run({ kind: 'pause', target, params: {} });
    const theirs = { ...own!, id: 'f-theirs' };
    await other.add(theirs);
    const faults = everyOwnersFaults(mine.ledger.list(), (await other.list()).records);
    expect(faults.map((f) => [f.id, f.owner])).toEqual([
      [own!.id, undefined],
      ['f-theirs', 'bo@desk'],
    ]);
    const json = statusJson([], [], faults, []) as { faults: { id: string; owner?: string }[] };
    expect(json.faults.map((f) => f.owner)).toEqual([undefined, 'bo@desk']);
  });
});

describe('who holds a fault, across machines', () => {
  it('the holder says it is alive while it holds the fault; a record gone means another operator ended it', async () => {
    const { store, swarm } = configs();
    const warnings: string[] = [];
    const events: string[] = [];
    const setup = controllerSetup(false, {
      cluster: new ClusterLedger(swarm, 'ana@laptop'),
      heartbeatMs: 10,
      onWarning: (m) => warnings.push(m),
      onFault: (e) =>
        events.push(e.type === 'undone' ? `undone ${e.outcome} ${e.why ?? ''}` : e.type),
    });
    const record = await setup.chaos.run({ kind: 'pause', target, params: {} });
    await new Promise((resolve) => setTimeout(resolve, 40));
    const beat = store.get(recordName(record!.id))!.labels['chaosdeck.alive-at'];
    expect(Date.now() - Date.parse(beat!)).toBeLessThan(1000);
    // Another machine took it over and ended it: its record left the swarm.
    store.delete(recordName(record!.id));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(setup.chaos.list()).toEqual([]);
    expect(setup.ledger.list()).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/^pause lab_web\.1|ended by another operator/),
    ]);
    expect(events).toEqual(['applied', 'undone gone ended by another operator']);
    // It did not undo it again itself.
    expect(setup.log).toEqual(['pause c1']);
    setup.chaos.dispose();
  });

  it('its own undo is not taken for another operator: a beat between the record going and the fault dropped says nothing', async () => {
    const { swarm } = configs();
    const warnings: string[] = [];
    const events: string[] = [];
    const setup = controllerSetup(false, {
      cluster: new ClusterLedger(swarm, 'ana@laptop'),
      heartbeatMs: 5,
      // The watchdog's removal, after the record's, takes a while (a manager far away).
      watchdogs: { arm: async () => {}, disarm: () => new Promise((r) => setTimeout(r, 60)) },
      onWarning: (m) => warnings.push(m),
      onFault: (e) => events.push(e.type === 'undone' ? `undone ${e.outcome}` : e.type),
    });
    await setup.chaos.run({ kind: 'pause', target, params: {} });
    await setup.chaos.undoAll();
    expect(warnings).toEqual([]);
    expect(events).toEqual(['applied', 'undone undone']);
    setup.chaos.dispose();
  });

  it.each([
    [
      'a silent holder: taken over',
      40_000,
      false,
      ['taking over from bo@desk (silent for 40 s)'],
      1,
    ],
    ['a live holder: left to it', 5_000, false, ['skipped (held by bo@desk, alive 5 s ago'], 0],
    [
      'a live holder with --force: taken over',
      5_000,
      true,
      ['taking over from bo@desk (alive 5 s ago, --force)'],
      1,
    ],
  ])('undo of another machine’s fault, %s', async (_name, age, force, said, undone) => {
    const { swarm } = configs();
    const theirs = controllerSetup(false, { cluster: new ClusterLedger(swarm, 'bo@desk') });
    const record = (await theirs.chaos.run({ kind: 'pause', target, params: {} }))!;
    theirs.chaos.dispose();
    const cluster = new ClusterLedger(swarm, 'ana@laptop');
    const now = Date.now();
    const records = (await cluster.list()).records.map((c) => ({ ...c, aliveAt: now - age }));
    const mine = controllerSetup(false, { cluster });
    // The same container, as this machine's engine sees it: paused by the other machine.
    mine.containers.get('c1')!.paused = true;
    const day = {
      leftovers: () => mine.chaos.leftovers(),
      adopt: (r: (typeof record)[]) => mine.chaos.adopt(r),
      takeOver: async (r: (typeof record)[]) => {
        for (const x of r) await mine.ledger.add(x);
        return mine.chaos.adopt(r);
      },
      undoWhere: (m: (r: typeof record) => boolean) => mine.chaos.undoWhere(m),
    };
    const lines: string[] = [];
    const r = await runUndoCommand(
      day,
      mine.ledger.list(),
      record.id.slice(0, 8),
      (l) => lines.push(l),
      {
        records,
        force,
        now,
      },
    );
    expect(lines.join('\n')).toContain(said[0]);
    expect(r.undone).toHaveLength(undone);
    expect(mine.log).toEqual(undone ? ['unpause c1'] : []);
    expect((await cluster.list()).records).toHaveLength(undone ? 0 : 1);
  });
});
