import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChaosController } from '../../source/chaos/controller.js';
import type { Ledger } from '../../source/chaos/ledger.js';
import { latencyTable, type FaultWindow, type LatencySample } from '../../source/domain/latency.js';
import type { DockerEngine } from '../../source/docker/client.js';
import { startProbes } from '../../source/live/probe-runner.js';
import { httpGet } from '../../source/probes/http-probe.js';
import { labChaos, targetOf } from '../helpers/chaos-lab.js';
import { connectLab, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { netState } from '../helpers/undo-lab.js';

const WEB = 'http://127.0.0.1:18080';

async function hostHasNetem(): Promise<boolean> {
  const r = await execa(
    'unshare',
    ['-n', 'sh', '-c', 'ip link set lo up && tc qdisc add dev lo root netem delay 1ms'],
    { reject: false },
  );
  return r.exitCode === 0;
}

const helpers = () => docker(['ps', '-aq', '--filter', 'label=chaosdeck.helper=true']);

describeLab('network windows in a container namespace', () => {
  let engine: DockerEngine;
  let chaos: ChaosController;
  let ledger: Ledger;

  beforeAll(async () => {
    await waitLabConverged();
    engine = await connectLab();
    engine.net = { tcImage: 'demo/nettools:local', nsenter: true };
    ({ chaos, ledger } = await labChaos(engine));
  });
  afterAll(async () => {
    await chaos?.undoAll();
  });

  it('delay: applied and removed where the kernel has netem; else refused with what works, nothing left', async () => {
    const target = await targetOf('lab_web');
    const before = await netState(target.containerId);
    for (const method of ['nsenter', 'helper']) {
      const request = {
        kind: 'net' as const,
        target,
        params: { type: 'delay', amount: '1000ms', jitter: '', duration: '10s', method },
      };
      if (await hostHasNetem()) {
        const record = await chaos.run(request);
        expect(await netState(target.containerId)).toMatch(/netem .*delay 1(\.0)?s/);
        await chaos.undo(record!.id);
      } else {
        await expect(chaos.run(request)).rejects.toThrow(
          /kernel has no netem.*loss \(iptables statistic\).*rate \(tbf\)/,
        );
      }
      expect(await netState(target.containerId)).toBe(before);
    }
    expect(await helpers()).toBe('');
    expect(ledger.list()).toEqual([]);
  });

  it('loss through iptables statistic: a probe sees errors during the window, which ends on time and leaves nothing', async () => {
    const target = await targetOf('lab_web');
    const before = await netState(target.containerId);
    const samples: LatencySample[] = [];
    const stop = startProbes([{ name: 'web', run: () => httpGet(`${WEB}/`, 400) }], 150, (s) =>
      samples.push(s),
    );
    await waitFor('baseline samples', () => samples.length >= 8, 10_000);
    const record = await chaos.run({
      kind: 'net',
      target,
      params: { type: 'loss', amount: '70%', jitter: '', duration: '4s', method: 'nsenter' },
    });
    expect(record!.params.method).toBe('iptables statistic via nsenter');
    expect(await netState(target.containerId)).toMatch(
      /statistic --mode random --probability 0\.7.*-j DROP/,
    );
    const window: FaultWindow = {
      id: record!.id,
      label: 'loss',
      start: record!.appliedAt,
      end: record!.endsAt!,
    };
    await waitFor(
      'the window to end and the rule to go',
      async () => (await netState(target.containerId)) === before,
      10_000,
      100,
    );
    const removedAt = Date.now();
    expect(removedAt - record!.endsAt!).toBeLessThan(1500);
    const afterCount = samples.length;
    await waitFor('samples after the window', () => samples.length >= afterCount + 8, 15_000);
    stop();
    const [row] = latencyTable(samples, [window]);
    expect(row!.before.errors).toBe(0);
    expect(row!.during.errors).toBeGreaterThan(0);
    expect(row!.after.count).toBeGreaterThan(0);
    expect(ledger.list()).toEqual([]);
  });

  it('rate through tbf in a helper container: the probe agrees with curl within 5 %', async () => {
    const target = await targetOf('lab_web');
    await docker([
      'exec',
      target.containerId,
      'sh',
      '-c',
      'dd if=/dev/zero of=/www/big bs=1024 count=300 2>/dev/null',
    ]);
    const before = await netState(target.containerId);
    const record = await chaos.run({
      kind: 'net',
      target,
      params: { type: 'rate', amount: '1mbit', jitter: '', duration: '60s', method: 'helper' },
    });
    expect(record!.params.method).toBe('tbf via helper');
    expect(await netState(target.containerId)).toMatch(/tbf .*rate 1Mbit/);
    expect(await helpers()).toBe('');
    // The same URL in the same window, one client after the other so they do not share the link,
    // taking turns: a burst of load on the machine falls on both, not on one client's three runs
    // (CI once saw the two medians 22 % apart when each client ran its three in a row).
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await httpGet(`${WEB}/big`, 20_000);
      ours.push(performance.now() - t);
      const r = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', `${WEB}/big`]);
      theirs.push(Number(r.stdout) * 1000);
    }
    await chaos.undo(record!.id);
    expect(await netState(target.containerId)).toBe(before);
    // The fastest of each: a transfer through tbf's 400 ms queue sometimes loses packets and
    // stalls for TCP's retransmission (seen here: curl 3 295 ms against 2 543–2 549 ms; CI saw
    // two medians 23 % apart). A stall only adds time, so each client's fastest run is the
    // link's own time, and the two must agree.
    const a = Math.min(...ours);
    const b = Math.min(...theirs);
    expect(a).toBeGreaterThan(1500); // 300 KiB at 1 Mbit/s is about 2.4 s
    expect(Math.abs(a - b) / b).toBeLessThan(0.05);
    expect(await helpers()).toBe('');
  });
});
