import { describe, expect, it } from 'vitest';
import { ClusterLedger, FAULT_LABEL, recordName } from '../../source/chaos/cluster-ledger.js';
import type { SwarmConfig } from '../../source/docker/port.js';
import { everyOwnersFaults, statusJson } from '../../source/commands/status-command.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';

/** Swarm configs in memory, as a manager keeps them: a name once, removal a claim. */
function configs(sink: { lines: string[] } = { lines: [] }, refuse?: string) {
  const store = new Map<string, SwarmConfig>();
  const swarm = {
    createConfig: async (name: string, labels: Record<string, string>, data: string) => {
      if (refuse) throw new Error(refuse);
      if (store.has(name)) throw new Error(`config ${name} already exists`);
      sink.lines.push(`config create ${labels[FAULT_LABEL]}`);
      store.set(name, { name, labels, data, createdAt: Date.now() });
    },
    removeConfig: async (name: string) => {
      sink.lines.push(`config rm ${name.slice('chaosdeck-fault-'.length)}`);
      return store.delete(name);
    },
    listConfigs: async (label: string) => [...store.values()].filter((c) => label in c.labels),
  };
  return { store, swarm };
}

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
      { record: expect.objectContaining({ id, kind: 'pause' }), owner: 'ana@laptop' },
    ]);
    await setup.chaos.undoAll();
    expect(store.size).toBe(0);
    expect(setup.log).toEqual([`config create ${id}`, 'pause c1', 'unpause c1', `config rm ${id}`]);
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
    });
    store.set('chaosdeck-fault-y', {
      name: 'chaosdeck-fault-y',
      labels: { [FAULT_LABEL]: 'y' },
      data: '{"id":"y"}',
      createdAt: 0,
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
