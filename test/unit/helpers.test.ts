import type Dockerode from 'dockerode';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuFlags, parseDockerSize, parseStats, statsLine } from '../../source/docker/cli-text.js';
import { HelperEngine } from '../../source/docker/helper-engine.js';
import { HELPER_LABEL, runSwarmHelper } from '../../source/docker/swarm-helper.js';
import type { NodeReach } from '../../source/domain/types.js';
import { reachSummary } from '../../source/format/reach-lines.js';
import { readSettings } from '../../source/entry/settings.js';

// Docker's log framing: stream byte, three zero bytes, big-endian length, then the bytes.
function frame(stream: 1 | 2 | 3, text: string): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([head, Buffer.from(text)]);
}

interface FakeTask {
  State: string;
  Err?: string;
  ExitCode?: number;
}

/** A stand-in for the manager's client: records the service spec, plays a task's states. */
function fakeManager(states: FakeTask[], logs: Buffer = Buffer.alloc(0)) {
  const seen = {
    spec: undefined as { TaskTemplate: { ContainerSpec: { Command: string[] } } } | undefined,
    removed: 0,
    polls: 0,
  };
  const docker = {
    createService: async (spec: typeof seen.spec) => ((seen.spec = spec), { ID: 'svc1' }),
    listTasks: async () => {
      const s = states[Math.min(seen.polls++, states.length - 1)]!;
      return [
        {
          Status: {
            State: s.State,
            Err: s.Err,
            ...(s.ExitCode !== undefined ? { ContainerStatus: { ExitCode: s.ExitCode } } : {}),
          },
        },
      ];
    },
    getService: () => ({
      logs: async () => logs,
      remove: async () => void seen.removed++,
    }),
  } as unknown as Dockerode;
  return { docker, seen };
}

const options = { image: 'docker:cli', socket: '/var/run/docker.sock' };
const on = { nodeId: 'n1', nodeName: 'w1' };

describe('runSwarmHelper', () => {
  it('runs docker ARGS as a one-shot task on the node, returns its output, removes it', async () => {
    const { docker, seen } = fakeManager(
      [{ State: 'pending' }, { State: 'running' }, { State: 'complete', ExitCode: 0 }],
      Buffer.concat([frame(1, 'abc\n'), frame(2, 'warn\n')]),
    );
    const result = await runSwarmHelper(docker, { ...options, ...on, args: ['pause', 'c1'] });
    expect(result).toEqual({ exitCode: 0, stdout: 'abc\n', stderr: 'warn\n' });
    expect(seen.spec).toMatchObject({
      Labels: { [HELPER_LABEL]: 'true' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'docker:cli',
          Command: ['docker', 'pause', 'c1'],
          Mounts: [
            { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' },
          ],
        },
        Placement: { Constraints: ['node.id==n1'] },
        RestartPolicy: { Condition: 'none' },
      },
    });
    expect(seen.removed).toBe(1);
  });

  it.each([
    [
      'the image is not on the node',
      { State: 'rejected', Err: 'No such image: docker:cli' },
      'the helper image docker:cli is not on node w1 (No such image: docker:cli); load it there or give --helper-image',
    ],
    [
      'no socket there',
      {
        State: 'rejected',
        Err: 'invalid mount config for type "bind": bind source path does not exist: /var/run/docker.sock',
      },
      'node w1 has no Docker socket at /var/run/docker.sock for the helper',
    ],
  ])('%s: one clear message, and the service is removed', async (_name, task, message) => {
    const { docker, seen } = fakeManager([task]);
    await expect(runSwarmHelper(docker, { ...options, ...on, args: ['ps'] })).rejects.toThrow(
      message,
    );
    expect(seen.removed).toBe(1);
  });

  it("Swarm's log stream from the node lost (after a cut): says so, not a JSON error; removes it", async () => {
    const { docker, seen } = fakeManager(
      [{ State: 'complete', ExitCode: 0 }],
      frame(
        3,
        'Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete log stream. some logs could not be retrieved for the following reasons: node 4a4ry is not available\n',
      ),
    );
    await expect(runSwarmHelper(docker, { ...options, ...on, args: ['ps'] })).rejects.toThrow(
      "Swarm did not hand over the helper's output from node w1: its log stream from that node is lost (warning: incomplete log stream. some logs could not be retrieved for the following reasons: node 4a4ry is not available)",
    );
    expect(seen.removed).toBe(1);
  });

  it('gives up after its timeout, says how far the task got, removes it', async () => {
    const { docker, seen } = fakeManager([{ State: 'pending', Err: 'no suitable node' }]);
    await expect(
      runSwarmHelper(docker, { ...options, ...on, args: ['ps'], timeoutMs: 300 }),
    ).rejects.toThrow(
      'the helper on node w1 did not finish in 0 s (task pending: no suitable node)',
    );
    expect(seen.removed).toBe(1);
  });
});

describe('HelperEngine', () => {
  const engine = (states: FakeTask[], logs?: Buffer) => {
    const fake = fakeManager(states, logs);
    return {
      port: new HelperEngine(fake.docker, { id: 'n1', name: 'w1' }, { ...options, tcImage: 'tc' }),
      seen: fake.seen,
    };
  };

  it('reads limits from the inspect document the helper prints', async () => {
    const doc = {
      State: { Running: true, Paused: false },
      HostConfig: { NanoCpus: 5e8, Memory: 52428800, MemorySwap: 52428800 },
    };
    const { port } = engine([{ State: 'complete', ExitCode: 0 }], frame(1, JSON.stringify(doc)));
    expect(await port.inspectResources('c1')).toMatchObject({
      cpu: { nanoCpus: 5e8, cpuQuota: 0 },
      memory: { memory: 52428800, memorySwap: 52428800 },
      running: true,
    });
  });

  it('a container the node does not have: undefined, as from an engine', async () => {
    const { port } = engine(
      [{ State: 'failed', ExitCode: 1 }],
      frame(2, 'Error: No such object: c1\n'),
    );
    expect(await port.inspectResources('c1')).toBeUndefined();
  });

  it("a refused action carries the engine's words and where it ran", async () => {
    const { port } = engine(
      [{ State: 'failed', ExitCode: 1 }],
      frame(2, 'Error response from daemon: Container c1 is not paused\n'),
    );
    await expect(port.unpause('c1')).rejects.toThrow(
      'Container c1 is not paused (through a helper on w1)',
    );
  });

  it('a command reads health once through a one-shot inspect (nothing left following)', async () => {
    const doc = {
      Id: 'c1',
      State: { Status: 'exited', OOMKilled: true, ExitCode: 137, Health: { Status: 'unhealthy' } },
    };
    const { port, seen } = engine(
      [{ State: 'complete', ExitCode: 0 }],
      frame(1, JSON.stringify(doc)),
    );
    expect(await port.inspectHealth('c1')).toMatchObject({
      status: 'unhealthy',
      oomKilled: true,
      exitCode: 137,
    });
    expect(seen.spec?.TaskTemplate.ContainerSpec.Command.slice(0, 3)).toEqual([
      'docker',
      'container',
      'inspect',
    ]);
    expect(seen.removed).toBe(1);
  });

  it('network commands run in a tc container in the target namespace, on that node', async () => {
    const { port, seen } = engine([{ State: 'complete', ExitCode: 0 }]);
    await port.netExec('c1', ['tc', 'qdisc', 'show']);
    expect(seen.spec?.TaskTemplate.ContainerSpec.Command).toEqual([
      'docker',
      'run',
      '--rm',
      '--network',
      'container:c1',
      '--cap-add',
      'NET_ADMIN',
      '--entrypoint',
      '',
      'tc',
      'tc',
      'qdisc',
      'show',
    ]);
  });
});

describe('helper formats', () => {
  it.each([
    ['12.5MiB', 13107200],
    ['1.5GiB ', 1610612736],
    ['512KiB', 524288],
    ['0B', 0],
    ['3kB', 3000],
    ['--', undefined],
    ['', undefined],
  ])('parseDockerSize(%j) → %j', (text, bytes) => expect(parseDockerSize(text)).toBe(bytes));

  it.each([
    [{ nanoCpus: 2e8 }, ['--cpus', '0.2']],
    [{ cpuQuota: 20000, cpuPeriod: 100000 }, ['--cpu-quota', '20000', '--cpu-period', '100000']],
    [{ nanoCpus: 0 }, ['--cpus', '0']],
    [{}, []],
  ])('cpuFlags(%j) → %j', (limits, flags) => expect(cpuFlags(limits)).toEqual(flags));

  const GiB = 1024 ** 3;
  it.each([
    ['\x1b[H0.05% 864KiB / 23.54GiB \x1b[K', 23.6 * GiB, { cpuPercent: 0.05, memoryBytes: 884736 }],
    [
      '12.50% 40MiB / 50MiB',
      23.6 * GiB,
      { cpuPercent: 12.5, memoryBytes: 40 * 1024 ** 2, memoryLimit: 50 * 1024 ** 2 },
    ],
    ['0.00% 0B / 0B', undefined, { cpuPercent: 0, memoryBytes: 0 }],
    [' \x1b[K', undefined, undefined],
    ['CONTAINER ID   NAME', undefined, undefined],
  ])('docker stats line %j (host %j) → %j', (text, host, usage) =>
    expect(parseStats(statsLine(text), host)).toEqual(usage),
  );

  it('the header counts helper nodes, a named endpoint wins over them', () => {
    const reach: Record<string, NodeReach> = {
      w1: { kind: 'endpoint', url: 'unix:///w1' },
      '*': { kind: 'helper', image: 'docker:cli' },
    };
    const list = [0, 1, 2].map((i) => ({ id: `n${i}`, hostname: `w${i}` }));
    expect(reachSummary(list, 'n0', reach).text).toBe('w0 manager · w1 endpoint · w2 helper');
  });
});

describe('helper settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-helpers-'));
  const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state') };
  const base = { node: [], protect: [], probe: [], probeInterval: '1s', probeTimeout: '10s' };
  const config = (text: string) => {
    const file = join(dir, `c${Math.random()}.json`);
    writeFileSync(file, text);
    return file;
  };

  it.each([
    ['not asked for: offered by the console, not on', {}, undefined],
    ['--no-helpers: off', { helpers: false }, undefined],
    [
      '--helpers: docker:cli on the usual socket',
      { helpers: true },
      { image: 'docker:cli', socket: '/var/run/docker.sock' },
    ],
    [
      'the config file names image and socket; flags win',
      {
        config: config('{"helpers":{"image":"me/cli:1","socket":"/run/d.sock"}}'),
        helperImage: 'x:2',
      },
      { image: 'x:2', socket: '/run/d.sock' },
    ],
  ])('%s', (_name, flags, helpers) =>
    expect(readSettings({ ...base, ...flags }, env).helpers).toEqual(helpers),
  );

  it.each([
    [
      'neither --helpers nor --no-helpers',
      {},
      { image: 'docker:cli', socket: '/var/run/docker.sock' },
    ],
    ['--no-helpers', { helpers: false }, undefined],
    ['--helpers (on already)', { helpers: true }, undefined],
  ])('the console offers helpers with %s: %j', (_name, flags, offer) =>
    expect(readSettings({ ...base, ...flags }, env).offerHelpers).toEqual(offer),
  );

  it('CHAOSDECK_HELPER_IMAGE names the image without turning helpers on; flags win', () => {
    const withEnv = { ...env, CHAOSDECK_HELPER_IMAGE: 'lab/cli:1' };
    expect(readSettings(base, withEnv)).toMatchObject({
      offerHelpers: { image: 'lab/cli:1' },
    });
    expect(readSettings(base, withEnv).helpers).toBeUndefined();
    expect(readSettings({ ...base, helperImage: 'x:2' }, withEnv).helpers?.image).toBe('x:2');
  });

  it('--helper-image alone asks for helpers; an empty one is refused', () => {
    expect(readSettings({ ...base, helperImage: 'me/cli:2' }, env).helpers).toEqual({
      image: 'me/cli:2',
      socket: '/var/run/docker.sock',
    });
    expect(() => readSettings({ ...base, helpers: true, helperImage: '' }, env)).toThrow(
      '--helper-image needs a value',
    );
  });

  it('a typo in the helpers object is refused with the key', () =>
    expect(() =>
      readSettings({ ...base, config: config('{"helpers":{"imag":"x"}}') }, env),
    ).toThrow(/helpers/));
});
