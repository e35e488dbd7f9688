import { hostname } from 'node:os';
import { expect, it } from 'vitest';
import { targetOf } from '../helpers/chaos-lab.js';
import { Script } from '../helpers/commands.js';
import { chaosdeckInSwarm } from '../helpers/swarm-objects.js';
import { describeLab, waitFor } from '../helpers/lab.js';
import { refusingProxy } from '../helpers/refusing-proxy.js';
import { isPaused, selectApiTask } from '../helpers/undo-lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { inspectContainer } from '../helpers/chaos-lab.js';

/** The fault records the swarm holds, as `docker config ls` shows them: name and owner. */
async function recordsInSwarm(): Promise<string[]> {
  return (await chaosdeckInSwarm('{{.Name}} {{.Labels}}')).records;
}

describeLab('the ledger in the swarm: every operator sees every fault', () => {
  consoleCases();

  it('a pause left active by one machine is a Swarm config another machine sees with its owner; undo removes it', async () => {
    const api = await targetOf('lab_api');
    const a = new Script();
    const b = new Script();
    const before = (await recordsInSwarm()).length;
    const r = await a.run(['pause', api.slotName, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await isPaused(api)).toBe(true);
    const records = await recordsInSwarm();
    expect(records).toHaveLength(before + 1);
    const id = (JSON.parse(r.stdout) as { runs: { fault: { id: string } }[] }).runs[0]!.fault.id;
    const mine = records.find((l) => l.startsWith(`chaosdeck-fault-${id} `));
    expect(mine).toMatch(new RegExp(`chaosdeck\\.owner=\\w+@${hostname()}`));
    expect(mine).toMatch(/chaosdeck\.kind=pause/);
    // b: another state directory, as another machine: its ledger knows nothing of it.
    const seen = await b.run(['status', '--json', '--service', 'lab_api'], { journal: false });
    const doc = JSON.parse(seen.stdout) as {
      faults: { id: string; kind: string; owner?: string }[];
    };
    expect(doc.faults).toContainEqual(
      expect.objectContaining({
        id,
        kind: 'pause',
        owner: expect.stringMatching(`@${hostname()}$`),
      }),
    );
    const undo = await a.run(['undo', id.slice(0, 8)]);
    expect(undo.exitCode, undo.stderr).toBe(0);
    expect(await isPaused(api)).toBe(false);
    expect((await recordsInSwarm()).some((l) => l.startsWith(`chaosdeck-fault-${id} `))).toBe(
      false,
    );
    const after = await b.run(['status', '--json', '--service', 'lab_api'], { journal: false });
    expect(
      (JSON.parse(after.stdout) as { faults: { id: string }[] }).faults.map((f) => f.id),
    ).not.toContain(id);
  });

  it('a manager that refuses the record: the fault is refused, saying why; nothing applied, nothing left', async () => {
    const api = await targetOf('lab_api');
    const proxy = await refusingProxy(
      (method, path) => method === 'POST' && /\/configs\/create/.test(path),
    );
    try {
      const day = new Script();
      const before = (await recordsInSwarm()).length;
      const r = await day.run(['pause', api.slotName, '--for', '5s', ...proxy.host]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(
        /the swarm did not take the fault's record \(.*authorization denied.*\), so nothing was applied/,
      );
      expect(await isPaused(api)).toBe(false);
      expect(await recordsInSwarm()).toHaveLength(before);
      const left = await day.run(['status', '--json', '--service', 'lab_api'], { journal: false });
      expect((JSON.parse(left.stdout) as { faults: unknown[] }).faults).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("another machine's untimed CPU limit shows in a console's faults bar within 2 s, with its owner, and goes with its undo", async () => {
    const api = await targetOf('lab_api');
    const a = new Script();
    const tui = new Tui();
    await tui.start([]);
    try {
      const r = await a.run(['cpu', api.slotName, '--cpus', '0.2', '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      const applied = performance.now();
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe('200000000');
      const line = new RegExp(
        `CPU limit 0\\.5 → 0\\.2 CPUs on ${api.slotName.replace('.', '\\.')} @ vm · until undone · by \\w+@${hostname()}`,
      );
      await tui.waitScreen(line, 5_000);
      expect(performance.now() - applied).toBeLessThan(3_000);
      const id = (JSON.parse(r.stdout) as { runs: { fault: { id: string } }[] }).runs[0]!.fault.id;
      expect((await a.run(['undo', id.slice(0, 8)])).exitCode).toBe(0);
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe('500000000');
      await waitFor('its line to go', async () => !line.test(await tui.screen()), 5_000);
    } finally {
      await tui.stop();
      // Whatever happened above, nothing of this test stays active.
      await a.run(['undo'], { journal: false });
    }
  });

  it('console A holds an untimed CPU limit; B sees it with A as owner, sees A gone within 30 s of its SIGKILL, and undoes it exactly', async () => {
    const api = await targetOf('lab_api');
    const a = new Tui();
    const b = new Tui();
    await a.start(['--yes']);
    await b.start([]);
    try {
      await selectApiTask(a, api);
      await a.keys(['c']);
      await a.waitScreen(/CPU lab_api/);
      await a.keys(['BSpace', 'BSpace', 'BSpace']);
      await a.keys(['0.2'], { literal: true });
      await a.keys(['Enter']);
      await a.waitScreen(/Active faults 1/);
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe('200000000');
      const owner = new RegExp(
        `CPU limit 0\\.5 → 0\\.2 CPUs on ${api.slotName.replace('.', '\\.')} @ vm · until undone · by \\w+@${hostname()}`,
      );
      await b.waitScreen(owner, 3_000);
      process.kill(a.pid, 'SIGKILL');
      await a.waitExit();
      const killed = performance.now();
      // A's own line (not another record's a failed test may have left): silent, gone.
      await b.waitScreen(
        new RegExp(
          `0\\.2 CPUs on ${api.slotName.replace('.', '\\.')} @ vm · until undone · by \\w+@\\S+, silent \\d+s \\(gone\\?\\)`,
        ),
        45_000,
      );
      expect(performance.now() - killed).toBeLessThan(32_000);
      // B is another machine: its own state directory; the fault is not in its ledger.
      const r = await new Script().run(['undo', api.slotName]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/taking over from \w+@\S+ \(silent for \d+ s\)/);
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}'), r.stdout).toBe(
        '500000000',
      );
      expect(await recordsInSwarm()).toEqual([]);
    } finally {
      await a.stop();
      await b.stop();
      await new Script().run(['undo', api.slotName, '--force'], { journal: false });
    }
  });

  it("a live holder's fault is left to it; undo --force from elsewhere ends it, and its console says so", async () => {
    const api = await targetOf('lab_api');
    const a = new Tui();
    await a.start(['--yes']);
    try {
      await selectApiTask(a, api);
      await a.keys(['p']);
      await a.waitScreen(/PAUSE lab_api/);
      await a.keys(['Enter']);
      await a.waitScreen(/Active faults 1/);
      const elsewhere = new Script();
      const left = await elsewhere.run(['undo', api.slotName]);
      expect(left.exitCode).toBe(1);
      expect(left.stdout).toMatch(
        /skipped \(held by \w+@\S+, alive \d+ s ago; it undoes it, or --force ends it from here\)/,
      );
      expect(await isPaused(api)).toBe(true);
      const forced = await elsewhere.run(['undo', api.slotName, '--force']);
      expect(forced.exitCode, forced.stdout + forced.stderr).toBe(0);
      expect(await isPaused(api)).toBe(false);
      await a.waitScreen(/ended by another operator/, 15_000);
      await waitFor('A to let it go', async () => !/Active faults 1/.test(await a.screen()), 5_000);
    } finally {
      await a.stop();
      await new Script().run(['undo', api.slotName, '--force'], { journal: false });
    }
  });
});
