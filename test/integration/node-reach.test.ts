import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LABW1 } from '../helpers/chaos-lab.js';
import { describeLab, waitFor } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';

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
    expect(down).toMatch(/lab_worker\.\S+\s+labw1 \(down\)\s+running/);
    // The manager's side is live: the view still updates from it.
    expect(down).toMatch(/● live/);
    await startProxy();
    const back = await tui.waitScreen(/reach: \S+ manager · labw1 endpoint/, 15_000);
    expect(back).not.toMatch(/\(down\)/);
  });
});
