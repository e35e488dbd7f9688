import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleCases, Tui } from '../helpers/tui.js';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { Script } from '../helpers/commands.js';
import { CTK_JOURNAL_KEYS, CTK_RUN_KEYS } from '../helpers/ctk.js';
import { describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { isPaused, ledgerOf, netState, worker } from '../helpers/undo-lab.js';

interface CtkDoc {
  status: string;
  deviated: boolean;
  steady_states: { before: { steady_state_met: boolean }; after: { steady_state_met: boolean } };
  run: Record<string, unknown>[];
  rollbacks: Record<string, unknown>[];
}

/** The Chaos Toolkit journal a run wrote beside its session journal. */
function ctkJournalOf(day: Script): CtkDoc {
  return JSON.parse(readFileSync(day.journal.replace(/\.jsonl$/, '.experiment.json'), 'utf8'));
}

describeLab('chaosdeck run: experiments on the lab swarm', () => {
  // The login app is added for these tests and removed after them: the other files' screens
  // are laid out for the lab_* services alone.
  beforeAll(async () => {
    await execa('bash', ['scripts/lab.sh', 'app']);
    await waitLabConverged();
  }, 180_000);
  afterAll(() => execa('bash', ['scripts/lab.sh', 'app-down']));

  it('every example passes --validate; a broken file exits 2 naming each problem', async () => {
    const day = new Script();
    for (const file of readdirSync('examples')) {
      const r = await day.run(['run', '--validate', join('examples', file)], { journal: false });
      expect(r.exitCode, `${file}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/valid/);
    }
    const bad = join(day.stateHome, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        title: 't',
        description: 'd',
        'steady-state-hypothesis': {
          title: 'h',
          probes: [{ type: 'probe', name: 'p', provider: { type: 'http', url: 'http://x/' } }],
        },
        method: [
          {
            type: 'action',
            name: 'a',
            provider: { type: 'chaosdeck', action: 'cpu', target: 'lab_api', duration: '5x' },
          },
        ],
      }),
    );
    const r = await day.run(['run', bad], { journal: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /steady-state-hypothesis\.probes\[0\]\.tolerance: a hypothesis probe needs a tolerance/,
    );
    expect(r.stderr).toMatch(/method\[0\]\.provider\.duration: "5x" is not a duration/);
    expect(r.stderr).toMatch(/2 problems; nothing was run/);
  });

  it('the CPU example holds: exit 0, the limit back to exactly 0.5 CPUs, a CTK journal', async () => {
    const day = new Script();
    const api = await targetOf('lab_api');
    const r = await day.run(['run', 'examples/cpu-api.yaml']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ Action: squeeze-api-cpu — done/);
    expect(r.stdout).toMatch(/CPU limit 0\.5 → 0\.2 CPUs for 5s on lab_api\.1/);
    expect(r.stdout).toMatch(/✓ the steady state held/);
    expect(r.stdout).toMatch(/latency web-answers: before .* during .* after/);
    expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe('500000000');
    const doc = ctkJournalOf(day);
    for (const key of CTK_JOURNAL_KEYS) expect(doc).toHaveProperty(key);
    for (const key of CTK_RUN_KEYS) expect(doc.run[0]).toHaveProperty(key);
    expect(doc).toMatchObject({ status: 'completed', deviated: false });
    expect(doc.steady_states.before.steady_state_met).toBe(true);
    expect(doc.steady_states.after.steady_state_met).toBe(true);
  });

  it('the kill example: Swarm replaces the task, the recovery phases are printed, exit 0', async () => {
    const day = new Script();
    const r = await day.run(['run', 'examples/kill-api.json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/kill with SIGKILL on lab_api\.\d/);
    expect(r.stdout).toMatch(/recovery lab_api\.\d: .*running \+\d/);
    expect(r.stdout).toMatch(/✓ Probe: web-is-fast — within tolerance: p95 \d+ ms \(≤ 800\)/);
  });

  it('the pause example deviates: exit 1, rollbacks ran, lab_web no longer paused', async () => {
    const day = new Script();
    const web = await targetOf('lab_web');
    const r = await day.run(['run', 'examples/pause-web-deviates.json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ Probe: web-answers — OUTSIDE tolerance/);
    expect(r.stdout).toMatch(/✓ Action: say-rolled-back/);
    expect(r.stdout).toMatch(/✗ the system deviated from its steady state/);
    expect(await isPaused(web)).toBe(false);
    expect(ctkJournalOf(day)).toMatchObject({ status: 'completed', deviated: true });
    expect(readFileSync(day.journal, 'utf8')).toMatch(/"type":"experiment","phase":"end"/);
    const md = await day.run(['report', day.journal], { journal: false });
    expect(md.stdout).toMatch(/## Steady-state experiments/);
    expect(md.stdout).toMatch(/\| after \| web-answers \| \*\*outside tolerance\*\*/);
  });

  /** Every running task of a service, as docker service ps lists them. */
  async function runningTasks(service: string) {
    const ids = (
      await docker(['service', 'ps', service, '-q', '--filter', 'desired-state=running'])
    ).split('\n');
    return Promise.all(
      ids.map(async (id) => ({
        containerId: await docker([
          'inspect',
          id,
          '--format',
          '{{.Status.ContainerStatus.ContainerID}}',
        ]),
      })),
    );
  }

  it('the login app feels a fault two hops away: /login deviates, /login-fallback holds', async () => {
    const body = await docker([
      'exec',
      (await runningTasks('app_web'))[0]!.containerId,
      'wget',
      '-q',
      '-O',
      '-',
      'http://127.0.0.1:8080/cgi-bin/login',
    ]);
    expect(body).toBe('logged in: alice:ok');
    const before = await new Script().run(['run', 'examples/login-before.json']);
    expect(before.exitCode, before.stdout + before.stderr).toBe(1);
    expect(before.stdout).toMatch(/pause on app_api\.1/);
    expect(before.stdout).toMatch(/pause on app_api\.2/);
    expect(before.stdout).toMatch(/✗ Probe: log-in — OUTSIDE tolerance: .*timeout after 3s/);
    // --json: one document, the Chaos Toolkit journal with the lines a person would have read.
    const script = new Script();
    const after = await script.run(['run', 'examples/login-after.json', '--json']);
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    const doc = JSON.parse(after.stdout) as CtkDoc & { messages: string[] };
    // One "during" for the run and its report: the run's line and the report's table agree.
    const said = /latency log-in: before \S+ · during (\S+?)\/\S+ · after/.exec(
      doc.messages.join('\n'),
    )?.[1];
    expect(said).toMatch(/^1\.\d+s$/);
    const report = await script.run(['report', script.journal], { journal: false });
    expect(report.stdout).toMatch(/\| 1 \| pause \| app_api\.\d \| – \| 1\.\d+ s \(log-in\) \|/);
    expect(report.stdout).toMatch(/\| 2 \| pause \| app_api\.\d \| – \| 1\.\d+ s \(log-in\) \|/);
    expect(report.stdout).not.toMatch(/\| during \| 0 \|/);
    expect(doc).toMatchObject({ status: 'completed', deviated: false });
    expect(doc.steady_states.after.steady_state_met).toBe(true);
    expect(doc.messages.join('\n')).toMatch(
      /✓ Probe: log-in — within tolerance: HTTP 200, "logged in \(cached\): alice:ok"/,
    );
    for (const t of await runningTasks('app_api')) expect(await isPaused(t)).toBe(false);
  });

  it('the latency example: a loss window on app_db slows /login past its p95; the window is gone after', async () => {
    const day = new Script();
    const db = (await runningTasks('app_db'))[0]!;
    const clean = await netState(db.containerId);
    const r = await day.run(['run', 'examples/login-latency.json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ Probe: log-in-p95 — OUTSIDE tolerance: p95 \d+ ms \(≤ 800\)/);
    expect(r.stdout).toMatch(/latency log-in: before .* during .* after/);
    expect(await netState(db.containerId)).toBe(clean);
  });

  it('the memory example: squeezed to 50M, a report OOM-kills an API task, Swarm heals it, 128M again', async () => {
    const day = new Script();
    const limit = () =>
      docker([
        'service',
        'inspect',
        'app_api',
        '--format',
        '{{.Spec.TaskTemplate.Resources.Limits.MemoryBytes}}',
      ]);
    expect(await limit()).toBe(String(128 * 1024 * 1024));
    const r = await day.run(['run', 'examples/login-memory.json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ Action: ask-for-a-report — HTTP 200/);
    expect(r.stdout).toMatch(/recovery app_api\.\d: .*running \+\d/);
    // The recovery names its cause as Docker tells it (the dead container's State.OOMKilled).
    expect(r.stdout).toMatch(/recovery app_api\.\d: .* \(OOM killed\)/);
    expect(r.stdout).toMatch(/✓ the steady state held/);
    // Docker's word and the journal's: an OOM kill.
    expect(readFileSync(day.journal, 'utf8')).toMatch(/"type":"oom","service":"app_api"/);
    expect(await limit()).toBe(String(128 * 1024 * 1024));
  });

  /** An experiment that holds a pause on the manager's lab_worker for 60 s; its rollback marks a file. */
  async function holdingExperiment(day: Script) {
    const w = await worker('vm');
    const mark = join(day.stateHome, 'rolled-back');
    const file = join(day.stateHome, 'hold.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: 'hold a pause',
        description: 'interrupted by the test',
        method: [
          {
            type: 'action',
            name: 'pause-worker',
            provider: { type: 'chaosdeck', action: 'pause', target: w.taskId, duration: '60s' },
          },
        ],
        rollbacks: [
          {
            type: 'action',
            name: 'mark',
            provider: { type: 'process', path: 'sh', arguments: ['-c', `echo rolled > ${mark}`] },
          },
        ],
      }),
    );
    return { w, mark, file };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    it(`${signal} during the method: rollbacks run, the pause is undone, exit 3`, async () => {
      const day = new Script();
      const { w, mark, file } = await holdingExperiment(day);
      const child = day.start(['run', file]);
      await waitFor('the pause', () => isPaused(w), 20_000);
      child.kill(signal);
      const r = await child;
      expect(r.exitCode, r.stdout + r.stderr).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`${signal}: interrupting the experiment`));
      expect(r.stdout).toMatch(/interrupted: rollbacks ran and every fault was undone/);
      expect(readFileSync(mark, 'utf8')).toBe('rolled\n');
      expect(await isPaused(w)).toBe(false);
      expect(ledgerOf(day.stateHome)).toEqual([]);
    });

  it('SIGKILL leaves the pause in the ledger; restore undoes it', async () => {
    const day = new Script();
    const { w, mark, file } = await holdingExperiment(day);
    const child = day.start(['run', file]);
    await waitFor('the pause', () => isPaused(w), 20_000);
    child.kill('SIGKILL');
    await child;
    expect(await isPaused(w)).toBe(true);
    expect(existsSync(mark)).toBe(false);
    const r = await day.run(['restore'], { journal: false });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await isPaused(w)).toBe(false);
  });

  it('--dry-run prints the plan (task and node) and changes nothing', async () => {
    const day = new Script();
    const { w, mark, file } = await holdingExperiment(day);
    const r = await day.run(['run', file, '--dry-run']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /dry run, nothing changed: pause .* on lab_worker\.\S+ \(task \w+, node \S+\)/,
    );
    expect(r.stdout).toMatch(/would run sh -c/);
    expect(existsSync(mark)).toBe(false);
    expect(await isPaused(w)).toBe(false);
  });

  describe('R in the console', () => {
    const cases = consoleCases();

    it('R lists the examples; Enter runs the CPU one in the timers pane; the limit comes back', async () => {
      // The example squeezes slot 1.
      const api = {
        containerId: await docker(['ps', '-q', '--no-trunc', '--filter', 'name=^lab_api\\.1\\.']),
      };
      expect(api.containerId).toMatch(/^[0-9a-f]{64}$/);
      const tui = (cases.tui = await new Tui().start(['--experiments', 'examples', '--yes']));
      await tui.keys(['R']);
      await tui.waitScreen(/Experiments in examples/);
      await tui.waitScreen(/› cpu-api\.yaml — lab_web answers while lab_api is squeezed/);
      await tui.keys(['Enter']);
      await tui.waitScreen(
        /Experiment running \(! halts it\): lab_web answers while lab_api is squeezed/,
      );
      await waitFor(
        'the CPU limit Docker shows',
        async () =>
          (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')) === '200000000',
        20_000,
      );
      await tui.waitScreen(/Experiment ✓ the steady state held: lab_web answers/, 40_000);
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe('500000000');
    });

    it('! halts a running experiment: its rollback runs, the pause is undone, the console stays', async () => {
      const day = new Script();
      const { w, mark, file } = await holdingExperiment(day);
      const tui = (cases.tui = await new Tui(day.stateHome).start([
        '--experiments',
        join(file, '..'),
        '--yes',
      ]));
      await tui.keys(['R']);
      await tui.waitScreen(/› hold\.json — hold a pause/);
      await tui.keys(['Enter']);
      await waitFor('the pause', () => isPaused(w), 20_000);
      await tui.keys(['!']);
      await tui.waitScreen(/Experiment ✗ interrupted: rollbacks ran/, 20_000);
      expect(await isPaused(w)).toBe(false);
      expect(readFileSync(mark, 'utf8')).toBe('rolled\n');
      expect(await tui.exited()).toBe(false);
    });
  });
});
