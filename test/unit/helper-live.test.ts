import type Dockerode from 'dockerode';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HelperEngine } from '../../source/docker/helper-engine.js';
import { frameReader, type HelperLine } from '../../source/docker/helper-stream.js';
import { LatestLines, type StartStream } from '../../source/docker/latest-lines.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([head, Buffer.from(text)]);
}

describe('frameReader', () => {
  it('hands over whole lines per stream, across chunk and frame boundaries', () => {
    const seen: HelperLine[] = [];
    const read = frameReader((lines) => seen.push(...lines));
    const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err\n'), frame(1, 'o\r\n')]);
    // One byte at a time: headers and texts split everywhere.
    for (let i = 0; i < bytes.length; i++) read(bytes.subarray(i, i + 1));
    expect(seen).toEqual([
      { text: 'one', stream: 'stdout' },
      { text: 'err', stream: 'stderr' },
      { text: 'two', stream: 'stdout' },
    ]);
  });
});

/** A StartStream whose commands print what the test pushes. */
function fakeStreams() {
  const started: {
    command: string[];
    push: (t: string, s?: 'stderr') => void;
    end: () => void;
    stopped: number;
  }[] = [];
  const start: StartStream = async (command, onLines, onEnd) => {
    const entry = {
      command,
      push: (text: string, stream?: 'stderr') => onLines([{ text, stream: stream ?? 'stdout' }]),
      end: () => onEnd(),
      stopped: 0,
    };
    started.push(entry);
    return { stop: async () => void entry.stopped++ };
  };
  return { start, started };
}

describe('LatestLines', () => {
  afterEach(() => vi.useRealTimers());
  const accept = (l: HelperLine) => l.text.startsWith('{');

  it('the first question waits for a line; later ones read the latest, one command in all', async () => {
    const { start, started } = fakeStreams();
    const lines = new LatestLines(start);
    const first = lines.latest('k', ['cmd'], accept);
    await vi.waitFor(() => expect(started).toHaveLength(1));
    started[0]!.push('not this');
    started[0]!.push('{"n":1}');
    expect(await first).toEqual({ line: '{"n":1}', said: undefined, error: undefined });
    started[0]!.push('{"n":2}');
    expect((await lines.latest('k', ['cmd'], accept)).line).toBe('{"n":2}');
    expect(started).toHaveLength(1);
    await lines.close();
    expect(started[0]!.stopped).toBe(1);
  });

  it('a command that ends without a line answers with what it said on stderr', async () => {
    const { start, started } = fakeStreams();
    const lines = new LatestLines(start);
    const answer = lines.latest('k', ['cmd'], accept);
    await vi.waitFor(() => expect(started).toHaveLength(1));
    started[0]!.push('Error: No such container: c1', 'stderr');
    started[0]!.end();
    expect(await answer).toMatchObject({ line: undefined, said: 'Error: No such container: c1' });
    // Its answer stands a while: no new helper for every question about a gone container.
    await lines.latest('k', ['cmd'], accept);
    expect(started).toHaveLength(1);
  });

  it('a command that cannot start answers with its error', async () => {
    const lines = new LatestLines(async () => {
      throw new Error('the helper image x is not on node w1');
    });
    expect((await lines.latest('k', ['cmd'], accept)).error?.message).toBe(
      'the helper image x is not on node w1',
    );
  });

  it('one not asked for a while is stopped; asked again, it starts anew', async () => {
    vi.useFakeTimers();
    const { start, started } = fakeStreams();
    const lines = new LatestLines(start, 20_000);
    const first = lines.latest('k', ['cmd'], accept);
    await vi.waitFor(() => expect(started).toHaveLength(1));
    started[0]!.push('{}');
    await first;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(started[0]!.stopped).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started[0]!.stopped).toBe(1);
    const again = lines.latest('k', ['cmd'], accept);
    await vi.waitFor(() => expect(started).toHaveLength(2));
    started[1]!.push('{}');
    await again;
    await lines.close();
  });
});

describe('HelperEngine following live facts', () => {
  /** A manager whose helper service runs at once and streams what the test writes. */
  function manager(pendingPolls = 0) {
    const seen = { commands: [] as string[][], removed: 0, stream: new PassThrough(), polls: 0 };
    const docker = {
      createService: async (spec: { TaskTemplate: { ContainerSpec: { Command: string[] } } }) => {
        seen.commands.push(spec.TaskTemplate.ContainerSpec.Command);
        return { ID: `svc${seen.commands.length}` };
      },
      listTasks: async () => [
        { Status: { State: seen.polls++ < pendingPolls ? 'pending' : 'running' } },
      ],
      getService: () => ({
        logs: async () => seen.stream,
        remove: async () => void seen.removed++,
      }),
    } as unknown as Dockerode;
    return { docker, seen };
  }
  const options = {
    image: 'docker:cli',
    socket: '/var/run/docker.sock',
    tcImage: 'tc',
    follow: true,
  };

  it('health: one looping inspect helper while asked; close removes it', async () => {
    const { docker, seen } = manager();
    const port = new HelperEngine(docker, { id: 'n1', name: 'w1' }, options);
    const doc = (streak: number) =>
      JSON.stringify({
        Id: 'c1',
        State: {
          Status: 'running',
          Running: true,
          Health: { Status: 'unhealthy', FailingStreak: streak },
        },
      });
    const first = port.inspectHealth('c1');
    await vi.waitFor(() => expect(seen.commands).toHaveLength(1));
    expect(seen.commands[0]!.slice(0, 2)).toEqual(['sh', '-c']);
    expect(seen.commands[0]!.at(-1)).toBe('c1');
    seen.stream.write(frame(1, `${doc(3)}\n`));
    expect(await first).toMatchObject({ status: 'unhealthy', failingStreak: 3 });
    seen.stream.write(frame(1, `${doc(4)}\n`));
    await vi.waitFor(async () => expect((await port.inspectHealth('c1'))?.failingStreak).toBe(4));
    expect(seen.commands).toHaveLength(1);
    await port.close();
    expect(seen.removed).toBe(1);
  });

  it('close() while a helper is still starting: it is removed once Swarm has it', async () => {
    const { docker, seen } = manager(2);
    const port = new HelperEngine(docker, { id: 'n1', name: 'w1' }, options);
    const asked = port.inspectHealth('c1').catch((error: Error) => error.message);
    await vi.waitFor(() => expect(seen.commands).toHaveLength(1));
    await port.close();
    expect(seen.removed).toBe(1);
    // Nothing starts after close.
    await expect(port.usage('c2')).rejects.toThrow('chaosdeck is ending');
    expect(seen.commands).toHaveLength(1);
    expect(await asked).toMatch(/through a helper on w1/);
  });

  it('usage: the latest docker stats sample, the limit measured against the host', async () => {
    const { docker, seen } = manager();
    const port = new HelperEngine(docker, { id: 'n1', name: 'w1' }, options);
    const first = port.usage('c1');
    await vi.waitFor(() => expect(seen.commands).toHaveLength(1));
    seen.stream.write(frame(1, `host ${24 * 1024 ** 3}\n`));
    seen.stream.write(frame(1, '\x1b[H1.50% 10MiB / 24GiB \x1b[K\n'));
    expect(await first).toEqual({ cpuPercent: 1.5, memoryBytes: 10 * 1024 ** 2 });
    await port.close();
  });

  it('logs: docker logs --follow in a helper; its lines arrive; stop removes it', async () => {
    const { docker, seen } = manager();
    const port = new HelperEngine(docker, { id: 'n1', name: 'w1' }, options);
    const lines: string[] = [];
    const sub = await port.followLogs(
      'c1',
      50,
      (l) => lines.push(...l.map((x) => x.text)),
      () => undefined,
    );
    expect(seen.commands[0]).toEqual(['docker', 'logs', '--follow', '--tail', '50', 'c1']);
    seen.stream.write(frame(1, 'hello\n'));
    seen.stream.write(frame(2, 'oops\n'));
    await vi.waitFor(() => expect(lines).toEqual(['hello', 'oops']));
    sub.stop();
    await vi.waitFor(() => expect(seen.removed).toBe(1));
  });
});
