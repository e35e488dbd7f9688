import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Script } from '../helpers/commands.js';
import { describeLab, docker, waitLabConverged } from '../helpers/lab.js';

async function apiPaused(): Promise<boolean[]> {
  const ids = (await docker(['ps', '-q', '--filter', 'name=^app_api\\.']))
    .split('\n')
    .filter(Boolean);
  return Promise.all(
    ids.map(async (id) => (await docker(['inspect', '-f', '{{.State.Paused}}', id])) === 'true'),
  );
}

describeLab('Chaos Toolkit files run as Chaos Toolkit runs them (issue 31)', () => {
  beforeAll(async () => {
    await execa('node', ['scripts/bundle.mjs']);
    await execa('bash', ['scripts/lab.sh', 'app']);
    await waitLabConverged();
  });
  afterAll(() => execa('bash', ['scripts/lab.sh', 'app-down']));

  it('method: [] checks the steady state only: a typed status tolerance, a JSONPath, a probe tolerance', async () => {
    const r = await new Script().run(['run', 'test/fixtures/ctk-run/steady-only.json', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      status: string;
      deviated: boolean;
      run: unknown[];
      steady_states: { before: { probes: { tolerance_met: boolean }[] } };
    };
    expect(doc).toMatchObject({ status: 'completed', deviated: false, run: [] });
    expect(doc.steady_states.before.probes.map((p) => p.tolerance_met)).toEqual([true, true, true]);
    expect(await apiPaused()).not.toContain(true);
  });

  it('continuously with fail_fast: the pause turns the JSON status down, the method stops, the pause is undone', async () => {
    const started = Date.now();
    const r = await new Script().run(['run', 'test/fixtures/ctk-run/fail-fast.json', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    // The 60 s pause after the action was cut short by the first miss.
    expect(Date.now() - started).toBeLessThan(45_000);
    const doc = JSON.parse(r.stdout) as {
      deviated: boolean;
      steady_states: { during: { steady_state_met: boolean }[] };
      rollbacks: { activity: { name: string }; status: string }[];
      messages: string[];
    };
    expect(doc.deviated).toBe(true);
    expect(doc.steady_states.during.at(-1)?.steady_state_met).toBe(false);
    expect(doc.rollbacks.map((x) => [x.activity.name, x.status])).toEqual([
      ['say-so', 'succeeded'],
    ]);
    expect(doc.messages.join('\n')).toMatch(
      /deviated from its steady state during the method \(fail_fast\)/,
    );
    expect(await apiPaused()).not.toContain(true);
  });
});
