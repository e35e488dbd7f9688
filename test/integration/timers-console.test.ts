import { afterEach, expect, it } from 'vitest';
import { latencyTable } from '../../source/domain/latency.js';
import type { LatencySample } from '../../source/domain/latency.js';
import { startProbes } from '../../source/live/probe-runner.js';
import { httpGet } from '../../source/probes/http-probe.js';
import { labChaos, targetOf } from '../helpers/chaos-lab.js';
import { connectLab, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { faultOnWebByKeys, WEB_PROBE } from '../helpers/undo-lab.js';

describeLab('timers, as the operator sees them', () => {
  const cases = consoleCases();
  let tui: Tui | undefined;

  afterEach(() => waitLabConverged());

  it('a probe gets samples, and errors while the web task is paused', async () => {
    const engine = await connectLab();
    const { chaos } = await labChaos(engine);
    const samples: LatencySample[] = [];
    const stop = startProbes(
      [{ name: 'web', run: () => httpGet('http://127.0.0.1:18080/', 800) }],
      200,
      (s) => samples.push(s),
    );
    await waitFor('baseline', () => samples.length >= 5, 10_000);
    const record = await chaos.run({
      kind: 'pause',
      target: await targetOf('lab_web'),
      params: { duration: '3s' },
    });
    await waitFor('the window to end', () => chaos.list().length === 0, 10_000);
    const n = samples.length;
    await waitFor('samples after', () => samples.length >= n + 5, 10_000);
    stop();
    const [row] = latencyTable(samples, [
      { id: 'p', label: 'pause', start: record!.appliedAt, end: record!.endsAt! },
    ]);
    expect(row!.before).toMatchObject({ errors: 0 });
    expect(row!.during.errors).toBeGreaterThan(0);
    expect(row!.after.errors).toBe(0);
  });

  it('kill the web task: the breakdown is on screen; a pause window gives a before/during/after table', async () => {
    tui = cases.tui = await new Tui().start(['--yes', ...WEB_PROBE], { columns: 120, rows: 40 });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a baseline, and a poll that saw the task running
    await docker(['kill', (await targetOf('lab_web')).containerId]);
    await tui.waitScreen(
      /lab_web\.1 recovering \d+\.\ds \(killed from outside \(SIGKILL\)\)/,
      10_000,
    );
    const done = await tui.waitScreen(/lab_web\.1 recovered in \d+\.\ds/, 60_000);
    // In Swarm's order: the container starts, its first probe passes, then Swarm says running.
    expect(done).toMatch(
      /created \+0\.\ds · started \+\d+\.\ds · healthy \+\d+\.\ds · running \+\d+\.\ds/,
    );
    await waitLabConverged();
    // Pause the web task for 3 s from the console.
    await tui.keys(['j', 'j']);
    await tui.waitScreen(/› lab_web/);
    await tui.keys(['Enter']);
    await tui.waitScreen(/▸ Tasks of lab_web/);
    await faultOnWebByKeys(tui, 'p', '3s');
    await tui.waitScreen(/Active faults/, 1000);
    await waitFor(
      'the window to end',
      async () => !/Active faults/.test(await tui!.screen()),
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // samples after
    await tui.keys(['Tab', 'Tab']);
    const screen = await tui.waitScreen(/▸ Timers/);
    const row = screen.split('\n').find((l) => /^\s+web\s/.test(l));
    expect(row, screen).toBeDefined();
    // before, during, after: three cells of p50/p95/max; during has errors (✗) or long times.
    expect(row).toMatch(
      /web\s+\S+\/\S+\/\S+\s+.*(✗\d+|all \d+ failed|\d\.\d\ds).*\s+\S+\/\S+\/\S+/,
    );
  });
});
