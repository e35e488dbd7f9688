import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { inspectContainer, LABW1, targetOf, createTalker } from '../helpers/chaos-lab.js';
import { createService, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, openServiceTasks, Tui, typeCommand } from '../helpers/tui.js';

// Keys and fields as an operator types them, in a real terminal, checked with docker inspect.
describeLab('console keys and fields, as an operator types them', () => {
  const cases = consoleCases();

  afterEach(() => waitLabConverged());

  // A service on the worker node that prints a numbered line every 200 ms (made by the logs
  // test itself: while it exists it sorts first and the console starts on it).
  const TALK = 'cdkeys_talk';
  // A service of its own for :scale and :restart.
  const SCALED = 'cdkeys_scaled';
  afterAll(async () => {
    await docker(['service', 'rm', TALK]).catch(() => undefined);
    await docker(['service', 'rm', SCALED]).catch(() => undefined);
  });

  /** Opens lab_api's tasks with the given slot's task under the cursor. */
  async function onApiTask(tui: Tui, slotName: string) {
    await openServiceTasks(tui, 'lab_api');
    await tui.select(new RegExp(`^› ${slotName.replace('.', '\\.')} `));
  }

  it('at 80×24: c, then 0.2 typed over the 50% default, Enter, y: docker sees 0.2 CPUs; u restores', async () => {
    const api = await targetOf('lab_api', 'vm');
    const before = await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}');
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=${LABW1}`], {
      columns: 80,
      rows: 24,
    }));
    await onApiTask(tui, api.slotName);
    await tui.keys(['c']);
    await tui.waitScreen(/› CPU limit: 50%/);
    await tui.keys(['0.2'], { literal: true });
    await tui.waitScreen(/› CPU limit: 0\.2 /);
    await tui.keys(['Enter']);
    await tui.waitScreen(/y = go ahead/);
    await tui.keys(['y']);
    await waitFor(
      'NanoCpus 200000000',
      async () =>
        (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')) === '200000000',
    );
    // Docker can see the change before the console has recorded it: u waits for the bar, as a
    // person would (on a loaded machine the key otherwise lands while the apply is in flight).
    await tui.waitScreen(/Active faults 1/);
    await tui.keys(['u']);
    await waitFor(
      'the limit restored',
      async () => (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')) === before,
    );
  });

  it(':pause 5s on a task pauses it for 5 s; the health pane says paused at once', async () => {
    const api = await targetOf('lab_api', 'vm');
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=${LABW1}`]));
    await onApiTask(tui, api.slotName);
    await tui.keys([':']);
    await tui.waitScreen(/^:/m);
    // "pa" is pause or partition (the hint lists both); "pau" is pause alone.
    await tui.keys(['pa'], { literal: true });
    await tui.waitScreen(/^:pa\s+\(pause partition\)/m);
    await tui.keys(['u'], { literal: true });
    await tui.waitScreen(/^:pau\S* ?se \[DURATION\]/m);
    await tui.keys(['Tab']);
    await tui.keys(['5s'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/pause for 5s on lab_api/);
    await tui.keys(['y']);
    const paused = () => inspectContainer(api.containerId, '{{.State.Paused}}');
    await waitFor('docker to say paused', async () => (await paused()) === 'true', 3000);
    const at = Date.now();
    await tui.waitScreen(/paused for \d+(ms|s)/, 2000);
    await waitFor('docker to say running again', async () => (await paused()) === 'false', 10_000);
    // Held for 5 s, give or take the poll.
    expect(Date.now() - at).toBeGreaterThan(3500);
    await tui.waitScreen(/running for/, 5000);
  });

  it('laps named "log in": each attempt listed under the action, and l then q does not quit', async () => {
    const tui = (cases.tui = await new Tui().start([]));
    await tui.keys(['l']);
    await tui.waitScreen(/action name: manual/);
    await tui.keys(['log inq'], { literal: true });
    await tui.keys(['BSpace', 'Enter']);
    await tui.waitScreen(/space times "log in"/);
    expect(await tui.exited()).toBe(false);
    for (let i = 0; i < 3; i++) {
      await tui.keys(['Space']);
      await tui.waitScreen(/timing "log in"/);
      await tui.keys(['Space']);
      await tui.waitScreen(new RegExp(`attempt ${i + 1}\\s+before\\s+\\d+ms`));
    }
    const screen = await tui.screen();
    expect(screen).toMatch(/log in\s+\d+ms\/\d+ms\/\d+ms/);
  });

  it("L on a task of the worker node: its lines through that node's engine, following; / searches; Esc back", async () => {
    await createTalker(TALK, 'labw1');
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=${LABW1}`]));
    await openServiceTasks(tui, TALK);
    await tui.keys(['L']);
    const first = await tui.waitScreen(/Logs of cdkeys_talk\.1[^\n]*following[\s\S]*tick (\d+)/);
    const seen = Math.max(...[...first.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    // Following: newer lines arrive without a key.
    await tui.waitScreen(new RegExp(`tick ${seen + 5}\\b`), 5000);
    await tui.keys(['/']);
    await tui.keys(['tick 1'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/"tick 1": \d+ lines/);
    await tui.keys(['Escape']);
    await tui.waitScreen(new RegExp(`▸ Tasks of ${TALK}`));
    expect(await tui.exited()).toBe(false);
  });

  it("CPU and MEM of the selected service's running tasks, as docker stats has them", async () => {
    const api = await targetOf('lab_api', 'vm');
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=${LABW1}`]));
    await onApiTask(tui, api.slotName);
    const row = new RegExp(
      `^› ${api.slotName.replace('.', '\\.')} .*running \\S+\\s+([\\d.]+)%\\s+([\\d.]+)M/128M`,
      'm',
    );
    await tui.waitScreen(row, 10_000);
    // docker stats' own figure for the same container ("780KiB / 128MiB").
    const statsMiB = async () => {
      const stats = await docker([
        'stats',
        '--no-stream',
        '--format',
        '{{.MemUsage}}',
        api.containerId,
      ]);
      const [, amount, unit] = /^([\d.]+)(KiB|MiB|GiB|B)/.exec(stats)!;
      return Number(amount) / ({ B: 1024 * 1024, KiB: 1024, MiB: 1, GiB: 1 / 1024 }[unit!] ?? 1);
    };
    // The healthcheck's exec (busybox wget, every 3 s) adds ~2 MiB while it runs, so one sample
    // of each can straddle it (CI saw 2.36 MiB apart): the cell and docker stats must agree
    // within 1 MiB at some moment in 10 s, which a wrong figure never does.
    const apart = await waitFor(
      'the MEM cell within 1 MiB of docker stats',
      async () => {
        const [, , mem] = row.exec(await tui.screen()) ?? [];
        if (mem === undefined) return false;
        const gap = Math.abs(Number(mem) - (await statsMiB()));
        return gap < 1 ? { gap } : false;
      },
      10_000,
      200,
    );
    expect(apart.gap).toBeLessThan(1);
  });

  it(':scale 2 and :restart on the selected service: docker service inspect agrees, and the journal has both', async () => {
    await createService(
      SCALED,
      ['--replicas', '1', '--constraint', 'node.role==manager'],
      ['sleep', '1d'],
    );
    const tui = (cases.tui = await new Tui().start([]));
    await openServiceTasks(tui, SCALED);
    // A command line typed, its dialog answered y, then the spec field docker reports.
    const confirmed = async (line: string, dialog: RegExp, field: string, value: string) => {
      await typeCommand(tui, line);
      await tui.waitScreen(dialog);
      await tui.keys(['y']);
      const spec = () => docker(['service', 'inspect', SCALED, '--format', `{{${field}}}`]);
      await waitFor(`${field} ${value}`, async () => (await spec()) === value);
    };
    await confirmed(
      'scale 2',
      /Scale cdkeys_scaled from 1 to 2 replicas/,
      '.Spec.Mode.Replicated.Replicas',
      '2',
    );
    await tui.waitScreen(new RegExp(`${SCALED}\\s+replicated\\s+2/2`), 30_000);
    await confirmed('restart', /Restart cdkeys_scaled/, '.Spec.TaskTemplate.ForceUpdate', '1');
    // Swarm replaced the tasks: each slot has a shut-down predecessor.
    await waitFor(
      'the restart to replace both tasks',
      async () =>
        (await docker(['service', 'ps', SCALED, '--filter', 'desired-state=shutdown', '-q']))
          .split('\n')
          .filter(Boolean).length >= 2,
      60_000,
      250,
    );
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    // The game day's journal has both, for the report's "Service actions".
    const dir = join(tui.stateHome, 'chaosdeck', 'journal');
    const lines = readdirSync(dir)
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
      .filter((l) => l.includes('"service-action"'))
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { action: 'scale', service: SCALED, from: 1, to: 2, outcome: 'done' },
      { action: 'restart', service: SCALED, outcome: 'done' },
    ]);
  });
});
