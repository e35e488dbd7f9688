import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { LABW1, targetOf } from '../helpers/chaos-lab.js';
import { describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { isPaused, pauseDbByKeys, workerRunsOn } from '../helpers/undo-lab.js';

// The worker's engine reached through a socket of this test's own (socat in front of labw1's):
// taking it away is a node whose engine went away, without stopping the dockerd other tests use.
describeLab('per-node reach', () => {
  const cases = consoleCases();
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-node-reach-'));
  const socket = join(dir, 'labw1.sock');
  let proxy: ChildProcess | undefined;
  const startProxy = async () => {
    rmSync(socket, { force: true });
    proxy = spawn(
      'socat',
      [`UNIX-LISTEN:${socket},fork`, `UNIX-CONNECT:${LABW1.replace('unix://', '')}`],
      { stdio: 'ignore' },
    );
    await waitFor('the proxy socket', async () => existsSync(socket) || undefined, 10_000, 50);
  };
  const stopProxy = () => {
    proxy?.kill();
    proxy = undefined;
  };
  afterAll(stopProxy);

  it('a worker whose engine goes away is marked unreachable, the rest keeps working, and it comes back', async () => {
    await startProxy();
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=unix://${socket}`]));
    await tui.waitScreen(/reach: \S+ manager · labw1 endpoint/);
    // lab_worker is global: one of its tasks runs on labw1.
    // (last by name: G goes there; select() follows the tasks pane's cursor).
    await tui.keys(['G']);
    await tui.waitScreen(/^› lab_worker /m);
    await tui.keys(['Enter']);
    await tui.waitScreen(/lab_worker\.\S+\s+labw1\s+running/);
    stopProxy();
    const down = await tui.waitScreen(/reach: \S+ manager · labw1 unreachable/, 15_000);
    expect(down).toMatch(/lab_worker\.\S+\s+labw1 \(unreachable\)\s+running/);
    // The manager's side is live: the view still updates from it.
    expect(down).toMatch(/● live/);
    await startProxy();
    const back = await tui.waitScreen(/reach: \S+ manager · labw1 endpoint/, 15_000);
    expect(back).not.toMatch(/\(down\)/);
  });

  // The real thing: labw1's dockerd stopped (its containers go with it) and started again.
  let workerStopped = false;
  const startWorker = async () => {
    if (!workerStopped) return;
    await execa('bash', ['scripts/lab.sh', 'start-worker', 'labw1']);
    workerStopped = false;
    // The next test file expects the whole lab back: labw1 ready, lab_worker running there.
    await waitFor(
      'labw1 ready with its lab_worker task running',
      async () =>
        (await docker(['node', 'inspect', 'labw1', '--format', '{{.Status.State}}'])) === 'ready' &&
        (await workerRunsOn('labw1')),
      120_000,
    );
    await waitLabConverged();
  };
  afterAll(startWorker);

  it("a worker's dockerd really stopped: unreachable, the manager's side keeps working, and it comes back", async () => {
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=${LABW1}`]));
    await tui.waitScreen(/reach: \S+ manager · labw1 endpoint/);
    await tui.keys(['G']);
    await tui.waitScreen(/^› lab_worker /m);
    await tui.keys(['Enter']);
    await tui.waitScreen(/lab_worker\.\S+\s+labw1\s+running/);
    workerStopped = true;
    await execa('bash', ['scripts/lab.sh', 'stop-worker', 'labw1']);
    const down = await tui.waitScreen(/reach: \S+ manager · labw1 unreachable/, 15_000);
    expect(down).toMatch(/lab_worker\.\S+\s+labw1 \(unreachable\)/);
    // Swarm's own word follows after its heartbeat: the node is down, and the header says so.
    await waitFor(
      'Swarm to mark labw1 down',
      async () =>
        (await docker(['node', 'inspect', 'labw1', '--format', '{{.Status.State}}'])) === 'down' ||
        undefined,
      60_000,
    );
    const all = (await docker(['node', 'ls', '-q'])).split('\n').filter(Boolean).length;
    await tui.waitScreen(new RegExp(`nodes ${all - 1}/${all} ready`));
    // The manager's side works meanwhile: a pause on lab_db by keys, seen by Docker, then undone.
    const db = await targetOf('lab_db');
    await tui.keys(['Escape']);
    await tui.waitScreen(/▸ Services/);
    await tui.select(/^. lab_db +replicated/);
    await pauseDbByKeys(tui, db, { yes: false });
    await tui.waitScreen(/Active faults 1/);
    await tui.keys(['u']);
    await waitFor('lab_db unpaused', async () => !(await isPaused(db)));
    // The engine comes back: the node is reached again without a restart of the console.
    await startWorker();
    const back = await tui.waitScreen(/reach: \S+ manager · labw1 endpoint/, 15_000);
    expect(back).toMatch(new RegExp(`nodes ${all}/${all} ready`));
  });
});
