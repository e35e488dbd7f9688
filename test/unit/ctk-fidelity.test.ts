import { describe, expect, it } from 'vitest';
import { checkExperiment } from '../../source/experiment/load.js';
import { processArgv } from '../../source/experiment/process-args.js';
import type { Activity } from '../../source/experiment/schema.js';
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
