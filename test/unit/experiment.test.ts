import { describe, expect, it } from 'vitest';
import { experimentRuns, experimentSection } from '../../source/record/experiment-section.js';
import { checkExperiment, type Experiment } from '../../source/experiment/load.js';
import {
  exitCodeOf,
  runExperiment,
  type ExperimentEvent,
  type RunnerPorts,
} from '../../source/experiment/runner.js';
import type { Activity } from '../../source/experiment/schema.js';
import { checkTolerance, type ProbeOutput } from '../../source/experiment/tolerance.js';

const http = (status: number, body = ''): ProbeOutput => ({ status, headers: {}, body });
const proc = (status: number, stdout = ''): ProbeOutput => ({ status, stdout, stderr: '' });

describe('checkTolerance', () => {
  const cases: [string, Parameters<typeof checkTolerance>[0], ProbeOutput, number[], boolean][] = [
    ['200 matches HTTP 200', 200, http(200), [], true],
    ['200 refuses HTTP 503', 200, http(503), [], false],
    ['true is an HTTP success', true, http(302), [], true],
    ['true refuses HTTP 500', true, http(500), [], false],
    ['false accepts exit 1', false, proc(1), [], true],
    ['0 is the exit status', 0, proc(0), [], true],
    ['a string is the trimmed stdout', 'ok', proc(0, 'ok\n'), [], true],
    ['a list: any of', [200, 204], http(204), [], true],
    ['a list: none of', [200, 204], http(404), [], false],
    ['range over the status', { type: 'range', range: [200, 299] }, http(250), [], true],
    [
      'range over a target',
      { type: 'range', range: [0, 5], target: 'stdout' },
      proc(0, '7'),
      [],
      false,
    ],
    ['regex over the body', { type: 'regex', pattern: '^hello' }, http(200, 'hello you'), [], true],
    ['regex that does not match', { type: 'regex', pattern: 'x+' }, proc(0, 'abc'), [], false],
    ['latency p95 within', { type: 'latency', p95_ms: 800 }, http(200), [100, 200, 700], true],
    ['latency p95 over', { type: 'latency', p95_ms: 800 }, http(200), [100, 200, 900], false],
    ['latency of a failed probe', { type: 'latency', max_ms: 800 }, http(503), [10], false],
  ];
  it.each(cases)('%s', (_, tolerance, output, latencies, ok) => {
    expect(checkTolerance(tolerance, output, latencies).ok).toBe(ok);
  });

  it('says why, in figures', () => {
    expect(checkTolerance({ type: 'latency', p95_ms: 800 }, http(200), [100, 900]).why).toBe(
      'p95 900 ms (≤ 800) over 2 sample(s)',
    );
    expect(checkTolerance(200, http(503, 'down'), []).why).toBe('HTTP 503, "down"; expected 200');
  });
});

const web = {
  type: 'probe',
  name: 'web',
  tolerance: 200,
  provider: { type: 'http', url: 'http://127.0.0.1:1/' },
};
const act = (extra: Record<string, unknown> = {}) => ({
  type: 'action',
  name: 'pause-api',
  provider: { type: 'chaosdeck', action: 'pause', target: 'lab_api', ...extra },
});
const doc = (over: Record<string, unknown> = {}) => ({
  title: 't',
  description: 'd',
  'steady-state-hypothesis': { title: 'h', probes: [web] },
  method: [act()],
  ...over,
});
const problemsOf = (raw: unknown, env: NodeJS.ProcessEnv = {}) => {
  const r = checkExperiment(raw, env);
  return 'problems' in r ? r.problems.map((p) => `${p.path}: ${p.message}`) : [];
};

describe('checkExperiment', () => {
  it('accepts a Chaos Toolkit experiment with chaosdeck actions', () => {
    expect(problemsOf(doc())).toEqual([]);
  });

  const cases: [string, unknown, string][] = [
    ['no title', { ...doc(), title: undefined }, 'title: the experiment needs a title'],
    [
      'no method (an empty one is a hypothesis-only experiment)',
      { ...doc(), method: undefined },
      'method: a list of activities (empty: only the steady state is checked)',
    ],
    [
      'an unknown provider',
      doc({ method: [{ type: 'action', name: 'x', provider: { type: 'nosuchprovider' } }] }),
      'method[0].provider.type: "nosuchprovider" is not a provider (process, http, chaosdeck; python is not supported)',
    ],
    [
      'a python provider, named once with what it would call',
      doc({
        method: [
          {
            type: 'action',
            name: 'x',
            provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods' },
          },
        ],
      }),
      'method[0].provider: a python provider (chaosk8s.pod.actions.terminate_pods) cannot run here: chaosdeck runs process, http and chaosdeck providers',
    ],
    [
      'an unknown chaosdeck action',
      doc({ method: [act({ action: 'explode' })] }),
      'method[0].provider.action: one of kill, stop, pause, cpu, memory, net, dns, stress, drain, partition',
    ],
    [
      'a hypothesis probe without a tolerance',
      doc({
        'steady-state-hypothesis': { title: 'h', probes: [{ ...web, tolerance: undefined }] },
      }),
      'steady-state-hypothesis.probes[0].tolerance: a hypothesis probe needs a tolerance',
    ],
    [
      'a bad duration',
      doc({ method: [act({ duration: '5 parsecs' })] }),
      'method[0].provider.duration: "5 parsecs" is not a duration (10s, 2m)',
    ],
    [
      'a kill with a duration',
      doc({ method: [act({ action: 'kill', duration: '5s' })] }),
      'method[0].provider.duration: kill is a moment (Swarm replaces the task), not a window',
    ],
    [
      'an argument of another fault',
      doc({ method: [act({ arguments: { cpus: '0.2' } })] }),
      'method[0].provider.arguments: arguments.cpus is not an option of pause',
    ],
    [
      'a cpu action without cpus',
      doc({ method: [act({ action: 'cpu' })] }),
      'method[0].provider.arguments: cpu needs arguments.cpus (0.2 CPUs, or 50% of the current limit)',
    ],
    [
      'a ref to nothing',
      doc({ rollbacks: [{ ref: 'nope' }] }),
      'rollbacks[0].ref: no activity named "nope"',
    ],
    [
      'a variable not configured',
      doc({ method: [{ ...web, provider: { type: 'http', url: '${url}' } }] }),
      'configuration: ${url} is used but not configured',
    ],
    [
      'an environment variable not set',
      doc({ configuration: { url: { type: 'env', key: 'NOPE_URL' } } }),
      'configuration.url: environment variable NOPE_URL is not set and there is no default',
    ],
  ];
  it.each(cases)('%s: names the path', (_, raw, problem) => {
    expect(problemsOf(raw)).toContain(problem);
  });

  it('substitutes configuration, from the environment too', () => {
    const r = checkExperiment(
      doc({
        configuration: { url: { type: 'env', key: 'WEB', default: 'http://x/' } },
        method: [{ ...web, provider: { type: 'http', url: '${url}health' } }],
      }),
      { WEB: 'http://127.0.0.1:18080/' },
    );
    expect('experiment' in r && r.experiment.method[0]!.provider).toMatchObject({
      url: 'http://127.0.0.1:18080/health',
    });
  });
});

/** A fake world: probes answer from a script, actions record what they did. */
function world(script: { probe: (phase: number) => number; actionFails?: boolean }) {
  const log: string[] = [];
  let clock = 0;
  let undos = 0;
  let phase = 0;
  const ports: RunnerPorts = {
    execute: async (a: Activity) => {
      log.push(`${a.type}:${a.name}`);
      clock += 10;
      if (a.type === 'action' && a.provider.type === 'chaosdeck') {
        phase = 1;
        if (script.actionFails) throw new Error('refused: protected');
        return { lines: [], runs: [] };
      }
      if (a.provider.type === 'http') return http(script.probe(phase));
      return proc(0);
    },
    undoAll: async () => {
      undos++;
      log.push('undo-all');
    },
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    emit: (e: ExperimentEvent) => e.type === 'phase' && log.push(`phase:${e.phase}`),
    sampleIntervalMs: 1000,
  };
  return { ports, log, undos: () => undos };
}

const experiment = (over: Partial<Experiment> = {}): Experiment => {
  const r = checkExperiment(
    doc({
      method: [act()],
      rollbacks: [{ type: 'action', name: 'tell', provider: { type: 'process', path: 'true' } }],
    }),
    {},
  );
  if (!('experiment' in r)) throw new Error('bad fixture');
  return { ...r.experiment, ...over };
};

describe('runExperiment', () => {
  it('held: hypothesis, method, hypothesis, rollbacks, then every fault undone; exit 0', async () => {
    const w = world({ probe: () => 200 });
    const run = await runExperiment(experiment(), w.ports, new AbortController().signal);
    expect(run).toMatchObject({ status: 'completed', deviated: false });
    expect(exitCodeOf(run)).toBe(0);
    expect(w.log.filter((l) => !l.startsWith('probe'))).toEqual([
      'phase:before',
      'phase:method',
      'action:pause-api',
      'phase:after',
      'phase:rollbacks',
      'action:tell',
      'phase:undo',
      'undo-all',
    ]);
  });

  it.each([
    ['runs', false, true],
    ['fails', true, false],
  ])('a probe as the tolerance: met when it %s', async (_name, fails, met) => {
    const w = world({ probe: () => 200 });
    const execute = w.ports.execute;
    w.ports.execute = async (a, signal) => {
      if (a.name === 'check' && fails) {
        w.log.push('probe:check');
        throw new Error('exit 1');
      }
      return execute(a, signal);
    };
    const probe = {
      ...experiment().hypothesis!.probes[0]!,
      tolerance: {
        type: 'probe' as const,
        name: 'check',
        provider: { type: 'process' as const, path: 'true' },
      },
    };
    const run = await runExperiment(
      experiment({ hypothesis: { title: 'h', probes: [probe] } }),
      w.ports,
      new AbortController().signal,
    );
    expect(run.steady_states.before?.probes[0]).toMatchObject({ tolerance_met: met });
    expect(w.log).toContain('probe:check');
  });

  it.each([
    ['before-method-only', ['phase:before', 'phase:method'], ['phase:after']],
    ['after-method-only', ['phase:method', 'phase:after'], ['phase:before']],
    ['during-method-only', ['phase:method', 'probe:web'], ['phase:before', 'phase:after']],
    ['continuously', ['phase:before', 'phase:method', 'phase:after'], []],
  ] as const)('hypothesis strategy %s', async (strategy, seen, unseen) => {
    const w = world({ probe: () => 200 });
    const run = await runExperiment(
      experiment({ hypothesisStrategy: { strategy, frequencyS: 1, failFast: false } }),
      w.ports,
      new AbortController().signal,
    );
    for (const l of seen) expect(w.log).toContain(l);
    for (const l of unseen) expect(w.log).not.toContain(l);
    expect(run.deviated).toBe(false);
    if (strategy === 'continuously' || strategy === 'during-method-only')
      expect(run.steady_states.during.length).toBeGreaterThan(0);
  });

  it('continuously with fail_fast: a miss during the method stops it, rollbacks and undo run; exit 1', async () => {
    const w = world({ probe: (p) => (p === 0 ? 200 : 503) });
    // Time a thousand times faster, but time: the checks run while the action's pause lasts.
    w.ports.sleep = (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms / 1000);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    const slow = {
      ...experiment().method[0]!,
      pauses: { after: 30 },
    };
    const run = await runExperiment(
      experiment({
        method: [slow, { ...slow, name: 'never-reached' }],
        hypothesisStrategy: { strategy: 'continuously', frequencyS: 1, failFast: true },
      }),
      w.ports,
      new AbortController().signal,
    );
    expect(run.deviated).toBe(true);
    expect(run.verdict).toMatch(/during the method \(fail_fast\)/);
    expect(run.steady_states.during.at(-1)?.steady_state_met).toBe(false);
    expect(w.log.filter((l) => l === 'action:pause-api')).toHaveLength(1);
    expect(w.log).not.toContain('action:never-reached');
    expect(w.log).toContain('action:tell');
    expect(w.undos()).toBe(1);
    expect(exitCodeOf(run)).toBe(1);
  });

  it('deviated: the hypothesis fails after the method; rollbacks and undo still run; exit 1', async () => {
    const w = world({ probe: (p) => (p === 0 ? 200 : 503) });
    const run = await runExperiment(experiment(), w.ports, new AbortController().signal);
    expect(run).toMatchObject({ status: 'completed', deviated: true });
    expect(run.steady_states.after?.steady_state_met).toBe(false);
    expect(exitCodeOf(run)).toBe(1);
    expect(w.log).toContain('action:tell');
    expect(w.undos()).toBe(1);
  });

  it('the steady state does not hold before: nothing is done; exit 1', async () => {
    const w = world({ probe: () => 503 });
    const run = await runExperiment(experiment(), w.ports, new AbortController().signal);
    expect(run.status).toBe('failed');
    expect(run.verdict).toMatch(/did not hold before the method: nothing was done/);
    expect(w.log).not.toContain('action:pause-api');
    expect(w.log).not.toContain('action:tell');
    expect(exitCodeOf(run)).toBe(1);
  });

  it('a failed action fails the run; its rollbacks and the undo still run', async () => {
    const w = world({ probe: () => 200, actionFails: true });
    const run = await runExperiment(experiment(), w.ports, new AbortController().signal);
    expect(run.status).toBe('failed');
    expect(run.verdict).toBe('action pause-api failed: refused: protected');
    expect(w.log).toContain('undo-all');
  });

  it('interrupted during the method: rollbacks run all the same, faults undone; exit 3', async () => {
    const w = world({ probe: () => 200 });
    const stop = new AbortController();
    const exp = experiment();
    exp.method = [
      { ...exp.method[0]!, pauses: { after: 60 } },
      { ...exp.method[0]!, name: 'never' },
    ];
    const sleep = w.ports.sleep;
    w.ports.sleep = async (ms, signal) => {
      if (ms === 60_000) stop.abort();
      return sleep(ms, signal);
    };
    const run = await runExperiment(exp, w.ports, stop.signal);
    expect(run.status).toBe('interrupted');
    expect(exitCodeOf(run)).toBe(3);
    expect(w.log).not.toContain('action:never');
    expect(w.log.slice(-4)).toEqual(['phase:rollbacks', 'action:tell', 'phase:undo', 'undo-all']);
  });

  it('strategy "deviated": no rollbacks when the hypothesis held, the undo all the same', async () => {
    const w = world({ probe: () => 200 });
    const run = await runExperiment(
      experiment({ strategy: 'deviated' }),
      w.ports,
      new AbortController().signal,
    );
    expect(exitCodeOf(run)).toBe(0);
    expect(w.log).not.toContain('action:tell');
    expect(w.log).toContain('undo-all');
  });
});

describe('experimentSection', () => {
  const step = (phase: 'start' | 'activity' | 'end', detail: Record<string, unknown>, t = 1) => ({
    t,
    session: 's1',
    type: 'experiment' as const,
    phase,
    title: 'login holds',
    detail,
  });

  it('gives each run its verdict and a row per activity', () => {
    const md = experimentSection(
      experimentRuns([
        step('start', { file: 'examples/login-before.json' }),
        step('activity', {
          phase: 'before',
          name: 'log-in',
          status: 'succeeded',
          tolerance_met: true,
          why: 'HTTP 200',
        }),
        step('activity', { phase: 'method', name: 'pause|api', status: 'succeeded' }),
        step('activity', {
          phase: 'after',
          name: 'log-in',
          status: 'failed',
          tolerance_met: false,
          exception: 'timeout after 3s',
        }),
        step('end', {
          verdict: 'the system deviated from its steady state',
          status: 'completed',
          deviated: true,
        }),
      ]),
    );
    expect(md).toEqual([
      '## Steady-state experiments',
      '',
      '### login holds',
      '',
      '**Verdict:** the system deviated from its steady state (status completed, deviated true)  ',
      '**File:** `examples/login-before.json`',
      '',
      '| Phase | Activity | Result |',
      '| --- | --- | --- |',
      '| before | log-in | within tolerance: HTTP 200 |',
      '| method | pause\\|api | succeeded |',
      '| after | log-in | **outside tolerance**: timeout after 3s |',
      '',
    ]);
  });

  it('says when a run has no verdict (the journal ends first)', () => {
    const md = experimentSection(experimentRuns([step('start', { file: 'x.json' })]));
    expect(md).toContain('**Verdict:** did not finish (the journal ends before its verdict)  ');
  });
});
