import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, expect, it } from 'vitest';
import { LABW1, inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { limitApiCpu, pauseDbByKeys } from '../helpers/undo-lab.js';

const LIMITS =
  '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.State.Paused}}';

/** Selects lab_api's first task and applies a CPU and a memory limit and pauses lab_db (all with --yes). */
async function applyFaults(tui: Tui): Promise<{ api: string; db: string }> {
  const api = await targetOf('lab_api');
  const db = await targetOf('lab_db');
  await limitApiCpu(tui, api);
  await tui.waitScreen(/Active faults 1/);
  await tui.keys(['m', 'Enter']); // default 50m
  await waitFor(
    'memory limit applied',
    async () =>
      (await inspectContainer(api.containerId, '{{.HostConfig.Memory}}')) ===
      String(50 * 1024 ** 2),
  );
  // The dialog closes once the fault is recorded: only then does Escape mean "back".
  await tui.waitScreen(/Active faults 2/);
  // lab_db: the last replica, so its name must be typed. Each step waits for the screen, as a person would.
  await tui.keys(['Escape']);
  await tui.waitScreen(/▸ Services/);
  await tui.keys(['j']);
  await tui.waitScreen(/› lab_db/);
  await pauseDbByKeys(tui, db, { yes: true });
  await tui.waitScreen(/Active faults 3/);
  return { api: api.containerId, db: db.containerId };
}

describeLab('no way of ending the console leaves a fault behind', () => {
  const cases = consoleCases();
  let tui: Tui | undefined;
  let apiBefore: string;

  beforeAll(async () => {
    await waitLabConverged();
    apiBefore = await inspectContainer((await targetOf('lab_api')).containerId, LIMITS);
    expect(apiBefore).toBe(`500000000 ${128 * 1024 ** 2} ${256 * 1024 ** 2} false`);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s: every fault is undone before the console exits',
    async (signal) => {
      tui = cases.tui = await new Tui().start(['--yes', '--node', `labw1=${LABW1}`]);
      const { api, db } = await applyFaults(tui);
      process.kill(tui.pid, signal);
      await tui.waitExit();
      expect(await inspectContainer(api, LIMITS)).toBe(apiBefore);
      expect(await inspectContainer(db, '{{.State.Paused}}')).toBe('false');
      const ledger = JSON.parse(
        readFileSync(join(tui.stateHome, 'chaosdeck', 'ledger.json'), 'utf8'),
      ) as { faults: unknown[] };
      expect(ledger.faults).toEqual([]);
      expect(readFileSync(join(tui.stateHome, 'stderr'), 'utf8')).toMatch(
        /undone: CPU limit 0.5 → 0.2/,
      );
    },
  );

  it('q: faults are undone and the console exits 0', async () => {
    tui = cases.tui = await new Tui().start(['--yes']);
    const { api, db } = await applyFaults(tui);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(await inspectContainer(api, LIMITS)).toBe(apiBefore);
    expect(await inspectContainer(db, '{{.State.Paused}}')).toBe('false');
  });

  it('SIGKILL leaves the faults; the next start offers them and chaosdeck restore puts everything back', async () => {
    tui = cases.tui = await new Tui().start(['--yes']);
    const { api, db } = await applyFaults(tui);
    process.kill(tui.pid, 'SIGKILL');
    await tui.waitExit();
    expect(await inspectContainer(api, '{{.HostConfig.NanoCpus}}')).toBe('200000000');
    expect(await inspectContainer(db, '{{.State.Paused}}')).toBe('true');
    const stateHome = tui.stateHome;
    await tui.stop();

    // The next console start names what is still active.
    tui = cases.tui = await new Tui(stateHome).start([]);
    await tui.waitScreen(
      /3 fault\(s\) from a chaosdeck that is no longer running are still active/,
    );
    await tui.waitScreen(/pause on lab_db\.1/);
    await tui.keys(['n']);
    await tui.waitScreen(/left 3 earlier fault\(s\) active; chaosdeck restore undoes them/);
    await tui.keys(['q']);
    await tui.waitExit();
    expect(await inspectContainer(db, '{{.State.Paused}}')).toBe('true');

    const restore = await execa('node', ['dist/cli.js', 'restore'], {
      env: { XDG_STATE_HOME: stateHome },
      reject: false,
    });
    expect(restore.exitCode).toBe(0);
    expect(restore.stdout).toMatch(/undone: pause on lab_db\.1/);
    expect(await inspectContainer(api, LIMITS)).toBe(apiBefore);
    expect(await inspectContainer(db, '{{.State.Paused}}')).toBe('false');
    const again = await execa('node', ['dist/cli.js', 'restore'], {
      env: { XDG_STATE_HOME: stateHome },
    });
    expect(again.stdout).toMatch(/nothing to restore/);
  });

  it('restore exits non-zero when an undo fails and keeps the fault', async () => {
    const stateHome = new Tui().stateHome;
    tui = cases.tui = await new Tui(stateHome).start(['--yes']);
    const db = await targetOf('lab_db');
    await tui.keys(['j', 'Enter', 'p', 'Enter']); // lab_db
    await tui.waitScreen(/Type lab_db/);
    await tui.keys(['lab_db'], { literal: true });
    await tui.keys(['Enter']);
    await waitFor(
      'paused',
      async () => (await inspectContainer(db.containerId, '{{.State.Paused}}')) === 'true',
    );
    process.kill(tui.pid, 'SIGKILL');
    await tui.waitExit();
    // The engine refuses the unpause: point restore at a socket that does not exist for that node's
    // container by making the ledger name another node without an endpoint.
    const file = join(stateHome, 'chaosdeck', 'ledger.json');
    const ledger = JSON.parse(readFileSync(file, 'utf8')) as {
      faults: { undo: { nodeId: string }; target: { nodeName: string } }[];
    };
    ledger.faults[0]!.undo.nodeId = 'no-such-node';
    ledger.faults[0]!.target.nodeName = 'ghost';
    await import('node:fs').then((fs) => fs.writeFileSync(file, JSON.stringify(ledger)));
    try {
      const restore = await execa('node', ['dist/cli.js', 'restore'], {
        env: { XDG_STATE_HOME: stateHome },
        reject: false,
      });
      expect(restore.exitCode).toBe(1);
      expect(restore.stdout).toMatch(
        /UNDO FAILED, still active: pause on lab_db\.1.*give --node ghost=/,
      );
      const kept = JSON.parse(readFileSync(file, 'utf8')) as {
        faults: { id: string; status: string }[];
      };
      expect(kept.faults[0]!.status).toBe('undo-failed');
      // Still active as far as the swarm knows too: its record says so, for every operator.
      expect(
        await docker([
          'config',
          'inspect',
          '--format',
          '{{index .Spec.Labels "chaosdeck.status"}}',
          `chaosdeck-fault-${kept.faults[0]!.id}`,
        ]),
      ).toBe('undo-failed');
    } finally {
      // Nothing of this test stays: the container, and its record in the swarm.
      await docker(['unpause', db.containerId]).catch(() => undefined);
      const id = (JSON.parse(readFileSync(file, 'utf8')) as { faults: { id: string }[] }).faults[0]
        ?.id;
      if (id) await docker(['config', 'rm', `chaosdeck-fault-${id}`]).catch(() => undefined);
    }
  });
});
