import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DockerEngine } from '../../source/docker/client.js';
import { createDeckStore, type DeckStore } from '../../source/store/deck-store.js';
import { startLiveSync } from '../../source/console/live-sync.js';
import { selectedService } from '../../source/store/selectors.js';
import { targetOf } from '../helpers/chaos-lab.js';
import { connectLab, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';

describeLab('live view against the lab swarm', () => {
  let engine: DockerEngine;
  let store: DeckStore;
  let stop: () => void;

  beforeAll(async () => {
    engine = await connectLab();
    await waitLabConverged();
    const info = await engine.info();
    store = createDeckStore();
    store.getState().actions.setEngine(info);
    stop = startLiveSync(store, {
      port: engine,
      containerPort: (id) => (id === info.nodeId ? engine : undefined),
    });
    await waitFor(
      'the first snapshot',
      () => store.getState().services.length > 0 && store.getState().nodes.length > 0,
    );
  });
  afterAll(() => stop?.());

  it('lists the same services and replica counts as docker service ls', async () => {
    const cli = await docker(['service', 'ls', '--format', '{{.Name}} {{.Mode}} {{.Replicas}}']);
    const expected = cli
      .split('\n')
      .map((line) => line.split(' ').slice(0, 3).join(' '))
      .sort();
    await waitFor(
      'counts to agree',
      () => {
        const model = store
          .getState()
          .services.map((s) => `${s.name} ${s.mode} ${s.running}/${s.desired}`)
          .sort();
        return JSON.stringify(model) === JSON.stringify(expected) || undefined;
      },
      10_000,
    );
  });

  it('lists the same tasks, states and nodes as docker service ps', async () => {
    for (const name of ['lab_web', 'lab_api', 'lab_worker']) {
      const cli = await docker([
        'service',
        'ps',
        name,
        '--no-trunc',
        '--format',
        '{{.ID}} {{.Node}} {{.DesiredState}}',
      ]);
      const expected = cli
        .split('\n')
        .map((l) => l.toLowerCase())
        .sort();
      const state = store.getState();
      const service = state.services.find((s) => s.name === name)!;
      const hostname = (id: string) => state.nodes.find((n) => n.id === id)?.hostname ?? '';
      const model = state.tasks
        .filter((t) => t.serviceId === service.id)
        .map((t) => `${t.id} ${hostname(t.nodeId)} ${t.desiredState}`)
        .sort();
      expect(model).toEqual(expected);
    }
  });

  it("as on a big swarm: only the selected service's tasks, filtered by the engine, as docker service ps lists them", async () => {
    const info = await engine.info();
    const big = createDeckStore();
    big.getState().actions.setEngine(info);
    const a = big.getState().actions;
    a.editFilter('lab_db');
    // What the sync asks the engine for (a service another test file just disturbed may be
    // listed too, for a while: short of its count, or named by an event).
    const asked: string[][] = [];
    const port = Object.create(engine) as DockerEngine;
    port.listTasks = (filter) => {
      asked.push(filter ? [...filter.serviceIds] : ['*']);
      return engine.listTasks(filter);
    };
    const stopBig = startLiveSync(big, {
      port,
      containerPort: (id) => (id === info.nodeId ? engine : undefined),
      listAllUpTo: 0,
    });
    try {
      const idsOf = async (name: string) =>
        (await docker(['service', 'ps', name, '--no-trunc', '--format', '{{.ID}}']))
          .split('\n')
          .sort();
      const listedIds = (name: string) => {
        const s = big.getState();
        const service = s.services.find((x) => x.name === name);
        return s.tasks
          .filter((t) => t.serviceId === service?.id)
          .map((t) => t.id)
          .sort();
      };
      const db = await idsOf('lab_db');
      await waitFor(
        'lab_db tasks',
        () => JSON.stringify(listedIds('lab_db')) === JSON.stringify(db),
      );
      // The first poll asked for the selected service's tasks by filter, never for every task.
      const dbId = big.getState().services.find((x) => x.name === 'lab_db')!.id;
      expect(asked[0]).toContain(dbId);
      expect(asked.flat()).not.toContain('*');
      expect(asked[0]!.length).toBeLessThan(big.getState().services.length);
      a.editFilter('lab_api');
      const api = await idsOf('lab_api');
      await waitFor(
        'lab_api tasks at once on selection',
        () => JSON.stringify(listedIds('lab_api')) === JSON.stringify(api),
        2_000,
      );
    } finally {
      stopBig();
    }
  });

  it('shows the failed task and its replacement within 2 s of a docker kill', async () => {
    const { taskId, containerId } = await targetOf('lab_web');
    const killedAt = Date.now();
    await docker(['kill', containerId]);
    const seenAt = await waitFor(
      'the failed task and its replacement in the model',
      () => {
        const { tasks } = store.getState();
        const old = tasks.find((t) => t.id === taskId);
        const failed =
          old && old.state === 'failed' && old.exitCode === 137 && old.desiredState === 'shutdown';
        const replacement = tasks.find(
          (t) =>
            t.serviceId === old?.serviceId &&
            t.slot === old?.slot &&
            t.id !== taskId &&
            t.createdAt > old!.createdAt,
        );
        return failed && replacement ? Date.now() : undefined;
      },
      10_000,
      20,
    );
    expect(seenAt - killedAt).toBeLessThan(2000);
    await waitLabConverged();
  });

  it("hears a probe's end but not its start: the engine leaves exec_create and exec_start out", async () => {
    const { containerId } = await targetOf('lab_api');
    // The same window unfiltered, through the docker CLI: it sees each probe's three events.
    const cli = execa('docker', [
      'events',
      '--filter',
      `container=${containerId}`,
      '--format',
      '{{.Action}}',
    ]);
    cli.catch(() => undefined); // killed below
    let cliText = '';
    cli.stdout?.on('data', (chunk: Buffer) => (cliText += chunk.toString()));
    const heard: string[] = [];
    const sub = await engine.streamEvents(
      (e) => e.id === containerId && heard.push(e.action),
      () => undefined,
    );
    try {
      // lab_api probes every 3 s: two probe ends, on both streams.
      await waitFor(
        'two probes heard by both',
        () =>
          heard.filter((a) => a === 'exec_die').length >= 2 &&
          (cliText.match(/^exec_die/gm) ?? []).length >= 2,
        20_000,
      );
    } finally {
      sub.stop();
      cli.kill();
    }
    expect(cliText).toMatch(/^exec_start: /m);
    expect(heard.filter((a) => /^exec_(create|start)/.test(a))).toEqual([]);
  });

  it('shows the health of the selected container from inspect', async () => {
    const s = () => store.getState();
    const { containerId } = await targetOf('lab_api');
    s().actions.focus('services');
    // lab_api by name: the demo's app_* services sort before it where the demo ran.
    s().actions.moveTo('top');
    for (let i = 0; i < 20 && selectedService(s())?.name !== 'lab_api'; i++) s().actions.move(1);
    expect(selectedService(s())?.name).toBe('lab_api');
    const view = await waitFor(
      'health of the lab_api container',
      () => {
        const v = s().health[containerId];
        return v?.kind === 'ok' && v.health.status === 'healthy' && v.health.probes.length > 0
          ? v
          : undefined;
      },
      20_000,
    );
    const inspect = await docker([
      'inspect',
      '--format',
      '{{.State.Health.Status}} {{.State.Health.FailingStreak}}',
      containerId,
    ]);
    expect(`${view.health.status} ${view.health.failingStreak}`).toBe(inspect);
  });

  it('says a task on another node is not reachable without an endpoint for it', async () => {
    const s = () => store.getState();
    s().actions.focus('services');
    s().actions.moveTo('bottom'); // lab_worker, global: one task on labw1
    s().actions.focus('tasks');
    const labw1 = s().nodes.find((n) => n.hostname === 'labw1');
    expect(labw1, 'the lab has a worker node labw1').toBeDefined();
    const remote = s().tasks.find(
      (t) => t.nodeId === labw1!.id && t.desiredState === 'running' && t.containerId,
    );
    const rows = s().tasks.filter((t) => t.serviceId === remote!.serviceId);
    expect(rows.length).toBeGreaterThan(0);
    // Select the slot on labw1.
    for (let i = 0; i < rows.length; i++) {
      s().actions.move(i === 0 ? 0 : 1);
      const v = s().health[remote!.containerId!];
      if (v) break;
    }
    await waitFor(
      'the remote note',
      () => s().health[remote!.containerId!]?.kind === 'remote',
      10_000,
    );
  });
});
