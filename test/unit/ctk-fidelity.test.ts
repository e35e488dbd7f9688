import { describe, expect, it } from 'vitest';
import { ctkJournal } from '../../source/experiment/ctk-journal.js';
import { checkExperiment } from '../../source/experiment/load.js';
import { processArgv } from '../../source/experiment/process-args.js';
import type { Activity } from '../../source/experiment/schema.js';
import { pythonRegex } from '../../source/experiment/py-regex.js';
import { checkTolerance } from '../../source/experiment/tolerance.js';
import { substitute } from '../../source/experiment/values.js';

const probe = (provider: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'probe',
  name: 'p',
  tolerance: 200,
  provider,
  ...extra,
});
const base = (over: Record<string, unknown> = {}) => ({
  title: 't',
  description: 'd',
  'steady-state-hypothesis': {
    title: 'h',
    probes: [probe({ type: 'http', url: 'http://127.0.0.1:1/' })],
  },
  method: [],
  ...over,
});
const check = (raw: unknown, env: NodeJS.ProcessEnv = {}) => checkExperiment(raw, env);
const problems = (raw: unknown, env: NodeJS.ProcessEnv = {}) => {
  const r = check(raw, env);
  return 'problems' in r ? r.problems.map((p) => `${p.path}: ${p.message}`) : [];
};
const firstProbe = (raw: unknown, env: NodeJS.ProcessEnv = {}): Activity => {
  const r = check(raw, env);
  if (!('experiment' in r)) throw new Error(JSON.stringify(r.problems));
  return r.experiment.hypothesis!.probes[0]!;
};

describe('substitution as Chaos Toolkit does it (string.Template, typed when whole)', () => {
  const values = { code: 200, name: 'Jane', on: true, list: [1, 2], map: { a: 1 } };
  it.each([
    ['${code}', 200],
    ['$code', 200],
    ['${on}', true],
    ['${list}', [1, 2]],
    ['${map}', { a: 1 }],
    ['status ${code}', 'status 200'],
    ['hello $name, ${name}', 'hello Jane, Jane'],
    ['$$5 and $$name', '$5 and $name'],
    ['${nobody}', '${nobody}'],
    ['$HOME/x', '$HOME/x'],
  ])('%j → %j', (text, expected) => {
    expect(substitute(text, values, new Set())).toEqual(expected);
  });

  it('names a ${name} without a value, not a bare $name (a shell variable)', () => {
    const missing = new Set<string>();
    substitute(['${nobody}', 'echo $HOME'], values, missing);
    expect([...missing]).toEqual(['nobody']);
  });
});

describe('files Chaos Toolkit accepts, chaosdeck accepts with the same meaning', () => {
  it('a tolerance "${code}" with configuration code: 200 is the number 200 (the HTTP status)', () => {
    const p = firstProbe(
      base({
        configuration: { code: 200, pause_before: 1 },
        'steady-state-hypothesis': {
          title: 'h',
          probes: [
            probe(
              { type: 'http', url: 'http://127.0.0.1:1/' },
              { tolerance: '${code}', pauses: { before: '${pause_before}' } },
            ),
          ],
        },
      }),
    );
    expect(p.tolerance).toBe(200);
    expect(p.pauses).toEqual({ before: 1 });
  });

  it('secrets, inline and from the environment, substitute like configuration', () => {
    const p = firstProbe(
      base({
        secrets: { api: { token: { type: 'env', key: 'TOKEN' }, user: 'ops' } },
        'steady-state-hypothesis': {
          title: 'h',
          probes: [
            probe({
              type: 'http',
              url: 'http://127.0.0.1:1/',
              headers: { authorization: 'Bearer ${token}', 'x-user': '${user}' },
              secrets: ['api'],
            }),
          ],
        },
      }),
      { TOKEN: 's3cret' },
    );
    expect(p.provider).toMatchObject({
      headers: { authorization: 'Bearer s3cret', 'x-user': 'ops' },
    });
  });

  it('configuration: mappings as values, env_var_type, an env default', () => {
    const p = firstProbe(
      base({
        configuration: {
          port: { type: 'env', key: 'PORT', env_var_type: 'int' },
          extra: { nested: true },
          host: { type: 'env', key: 'HOST', default: '127.0.0.1' },
        },
        'steady-state-hypothesis': {
          title: 'h',
          probes: [probe({ type: 'http', url: 'http://${host}:${port}/', arguments: '${extra}' })],
        },
      }),
      { PORT: '18080' },
    );
    expect(p.provider).toMatchObject({
      url: 'http://127.0.0.1:18080/',
      arguments: { nested: true },
    });
  });

  it.each([
    ['a lowercase method', probe({ type: 'http', url: 'http://127.0.0.1:1/', method: 'post' })],
    [
      'verify_tls, max_retries and a [connect, read] timeout',
      probe({
        type: 'http',
        url: 'https://127.0.0.1:1/',
        verify_tls: false,
        max_retries: 2,
        timeout: [1, 3],
      }),
    ],
    [
      'numbers in process arguments',
      probe({ type: 'process', path: 'true', arguments: ['-n', 3] }),
    ],
    [
      'the mapping form of process arguments',
      probe({ type: 'process', path: 'true', arguments: { '--count': 3 } }),
    ],
    [
      'an activity-level timeout',
      probe({ type: 'process', path: 'true' }, { timeout: 5, tolerance: 0 }),
    ],
  ])('%s', (_name, p) => {
    expect(
      problems(base({ 'steady-state-hypothesis': { title: 'h', probes: [p] }, version: 1 })),
    ).toEqual([]);
  });

  it('an empty method checks the steady state only', () => {
    const r = check(base({ method: [] }));
    expect('experiment' in r && r.experiment.method).toEqual([]);
  });

  it('a lowercase method is sent as its uppercase', () => {
    const p = firstProbe(
      base({
        'steady-state-hypothesis': {
          title: 'h',
          probes: [probe({ type: 'http', url: 'http://127.0.0.1:1/', method: 'post' })],
        },
      }),
    );
    expect(p.provider).toMatchObject({ method: 'POST' });
  });

  it.each([
    [
      ['-n', 3, true, ''],
      ['-n', '3', 'true'],
    ],
    [{ '--count': 3, '-q': '' }, ['--count', '3', '-q']],
    ['-c "echo hi"', '-c "echo hi"'],
  ])('process arguments %j → %j', (args, argv) => {
    expect(processArgv(args)).toEqual(argv);
  });
});

describe('files Chaos Toolkit refuses, chaosdeck refuses', () => {
  it.each([
    [
      'a program that is not on PATH',
      base({
        'steady-state-hypothesis': {
          title: 'h',
          probes: [probe({ type: 'process', path: 'no-such-program-x' }, { tolerance: 0 })],
        },
      }),
      'steady-state-hypothesis.probes[0].provider.path: "no-such-program-x" is not a program on PATH (Chaos Toolkit checks it too)',
    ],
    [
      'an empty tag',
      base({ tags: ['swarm', ''] }),
      'tags[1]: an empty tag (Chaos Toolkit refuses it)',
    ],
    [
      'an empty description',
      base({ description: '' }),
      'description: an empty description (Chaos Toolkit refuses it)',
    ],
  ])('%s', (_name, raw, problem) => {
    expect(problems(raw)).toContain(problem);
  });

  it('a broken configuration names its own problem, not a cascade of "not configured"', () => {
    expect(
      problems(
        base({
          configuration: { url: { type: 'env', key: 'NOPE' } },
          'steady-state-hypothesis': {
            title: 'h',
            probes: [probe({ type: 'http', url: '${url}' })],
          },
        }),
      ).filter((p) => p.startsWith('configuration')),
    ).toEqual(['configuration.url: environment variable NOPE is not set and there is no default']);
  });
});

describe('tolerances Chaos Toolkit has: jsonpath, a probe, Python regex', () => {
  const http = (body: string, status = 200) => ({ status, headers: {}, body });
  it.each([
    [
      'a match exists in the body',
      { path: '$.user.name', target: 'body' },
      http('{"user":{"name":"alice"}}'),
      true,
    ],
    ['no match', { path: '$.user.age', target: 'body' }, http('{"user":{"name":"alice"}}'), false],
    ['expect a value', { path: '$.ok', target: 'body', expect: true }, http('{"ok":true}'), true],
    [
      'expect a different value',
      { path: '$.ok', target: 'body', expect: true },
      http('{"ok":false}'),
      false,
    ],
    [
      'expect a list',
      { path: '$.items[*].id', target: 'body', expect: [1, 2] },
      http('{"items":[{"id":1},{"id":2}]}'),
      true,
    ],
    ['count', { path: '$.items[*]', target: 'body', count: 2 }, http('{"items":[1,2]}'), true],
    ['count off', { path: '$.items[*]', target: 'body', count: 3 }, http('{"items":[1,2]}'), false],
    [
      'a filter',
      { path: '$.items[?(@.up==true)].id', target: 'body', expect: 2 },
      http('{"items":[{"id":1,"up":false},{"id":2,"up":true}]}'),
      true,
    ],
    [
      'the whole answer without a target (as Chaos Toolkit: status, headers, body)',
      { path: '$.status', expect: 503 },
      http('{}', 503),
      true,
    ],
    ['a text body is no JSON', { path: '$.x', target: 'body' }, http('plain'), false],
  ])('jsonpath: %s', (_name, t, output, ok) => {
    expect(checkTolerance({ type: 'jsonpath', ...t }, output, []).ok).toBe(ok);
  });

  it.each([
    ['(?P<word>\\w+) (?P=word)', 'bye bye', true],
    ['(?i)^HELLO', 'hello you', true],
    ['(?ms)^b.c', 'a\nb\nc', true],
    ['\\Aok\\Z', 'ok', true],
    ['\\Aok\\Z', 'ok\nmore', false],
  ])('Python pattern %j on %j → %s', (pattern, text, ok) => {
    expect(
      checkTolerance({ type: 'regex', pattern }, { status: 0, stdout: text, stderr: '' }, []).ok,
    ).toBe(ok);
  });

  it.each([
    ['(?<name>x)', 'a named group (?<name>…) is JavaScript syntax; Python writes (?P<name>…)'],
    ['\\p{L}+', 'a Unicode property \\p{…} is JavaScript syntax; Python re has none'],
    ['(?x) a b', 'the x (verbose) and L (locale) flags have no JavaScript equivalent'],
    ['(a)?(?(1)b|c)', 'a conditional group (?(…)…) has no JavaScript equivalent'],
    [
      '(unclosed',
      'not a valid regular expression (Invalid regular expression: /(unclosed/: Unterminated group)',
    ],
  ])('%j is named: %s', (pattern, error) => {
    expect(pythonRegex(pattern)).toEqual({ error });
  });

  it('a file with a jsonpath, a probe tolerance and a Python regex validates', () => {
    expect(
      problems(
        base({
          'steady-state-hypothesis': {
            title: 'h',
            probes: [
              probe(
                { type: 'http', url: 'http://127.0.0.1:1/' },
                { tolerance: { type: 'jsonpath', path: '$.ok', expect: true } },
              ),
              probe(
                { type: 'http', url: 'http://127.0.0.1:1/' },
                {
                  tolerance: {
                    type: 'probe',
                    name: 'check',
                    provider: { type: 'process', path: 'true' },
                  },
                },
              ),
              probe(
                { type: 'http', url: 'http://127.0.0.1:1/' },
                { tolerance: { type: 'regex', pattern: '(?P<v>\\d+)' } },
              ),
            ],
          },
        }),
      ),
    ).toEqual([]);
  });
});

describe('keys chaosdeck reads past are named, not silently dropped', () => {
  it('controls (top level and per activity), extensions, contributions and dry', () => {
    const r = check(
      base({
        controls: [{ name: 'tracing' }],
        extensions: [{ name: 'x' }],
        contributions: { reliability: 'high' },
        dry: 'probes',
        'steady-state-hypothesis': {
          title: 'h',
          probes: [probe({ type: 'http', url: 'http://127.0.0.1:1/' }, { controls: [] })],
        },
      }),
    );
    expect('experiment' in r && r.experiment.ignored).toEqual([
      'controls',
      'extensions',
      'contributions',
      'dry',
      'steady-state-hypothesis.probes[0].controls',
    ]);
  });

  it('a hypothesis strategy is read, with its frequency and fail_fast', () => {
    const r = check(
      base({
        runtime: { hypothesis: { strategy: 'continuously', frequency: 2, fail_fast: true } },
      }),
    );
    expect('experiment' in r && r.experiment.hypothesisStrategy).toEqual({
      strategy: 'continuously',
      frequencyS: 2,
      failFast: true,
    });
    expect(problems(base({ runtime: { hypothesis: { strategy: 'sometimes' } } }))).toEqual([
      'runtime.hypothesis.strategy: one of default, before-method-only, after-method-only, during-method-only, continuously',
    ]);
  });
});

describe('every problem once, all of them', () => {
  it('a wrong provider hides neither a bad duration beside it nor a reference to nowhere', () => {
    const found = problems(
      base({
        method: [
          { type: 'action', name: 'k8s', provider: { type: 'python', module: 'm', func: 'f' } },
          {
            type: 'action',
            name: 'pause',
            provider: { type: 'chaosdeck', action: 'pause', target: 'web', duration: 'soon' },
          },
          { ref: 'nowhere' },
        ],
      }),
    );
    expect(found).toEqual([
      'method[0].provider: a python provider (m.f) cannot run here: chaosdeck runs process, http and chaosdeck providers',
      'method[2].ref: no activity named "nowhere"',
      'method[1].provider.duration: "soon" is not a duration (10s, 2m)',
    ]);
  });
});

describe('run --validate --json: each problem with its path, what was found, what is allowed', () => {
  it('found is the value as written, before substitution (a secret stays a placeholder)', () => {
    const r = check(
      base({
        secrets: { api: { token: 's3cret' } },
        method: [
          {
            type: 'action',
            name: 'x',
            provider: { type: 'nosuchprovider', token: '${token}' },
          },
        ],
      }),
    );
    expect('problems' in r && r.problems).toEqual([
      {
        path: 'method[0].provider.type',
        message:
          '"nosuchprovider" is not a provider (process, http, chaosdeck; python is not supported)',
        found: 'nosuchprovider',
      },
    ]);
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });
});

describe('the journals keep the file as written', () => {
  it('a secret from the environment never lands in the Chaos Toolkit journal', () => {
    const r = check(
      base({
        secrets: { api: { token: { type: 'env', key: 'TOKEN' } } },
        'steady-state-hypothesis': {
          title: 'h',
          probes: [
            probe({
              type: 'http',
              url: 'http://127.0.0.1:1/',
              headers: { authorization: 'Bearer ${token}' },
            }),
          ],
        },
      }),
      { TOKEN: 's3cret' },
    );
    if (!('experiment' in r)) throw new Error('bad fixture');
    const exp = r.experiment;
    const probeRun = {
      activity: exp.hypothesis!.probes[0]!,
      start: '',
      end: '',
      duration: 0,
      status: 'succeeded' as const,
      tolerance_met: true,
    };
    const journal = ctkJournal(
      exp,
      {
        status: 'completed',
        deviated: false,
        start: '',
        end: '',
        duration: 0,
        steady_states: {
          before: { steady_state_met: true, probes: [probeRun] },
          after: null,
          during: [],
        },
        run: [],
        rollbacks: [],
        verdict: 'held',
      },
      {},
    );
    const text = JSON.stringify(journal);
    expect(text).not.toContain('s3cret');
    expect(text).toContain('Bearer ${token}');
  });
});
