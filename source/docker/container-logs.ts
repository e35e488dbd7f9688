import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { LogLine } from '../domain/types.js';
import type { Subscription } from './port.js';

/** Splits a byte stream into lines (the last, unfinished one waits for its newline). */
function lines(
  source: NodeJS.ReadableStream,
  stream: LogLine['stream'],
  onLines: (lines: LogLine[]) => void,
) {
  let buffer = '';
  source.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    if (parts.length) onLines(parts.map((text) => ({ text: text.replace(/\r$/, ''), stream })));
  });
}

/**
 * Follows a container's logs from its last `tail` lines (docker logs --tail N -f): lines are
 * handed over in the chunks they arrive in, until stopped or the stream ends.
 */
export async function followLogs(
  docker: Dockerode,
  containerId: string,
  tail: number,
  onLines: (lines: LogLine[]) => void,
  onEnd: (error?: Error) => void,
): Promise<Subscription> {
  const container = docker.getContainer(containerId);
  const info = (await container.inspect()) as { Config?: { Tty?: boolean } };
  const stream = (await container.logs({
    follow: true,
    stdout: true,
    stderr: true,
    tail,
  })) as unknown as NodeJS.ReadableStream & { destroy(): void };
  let stopped = false;
  const end = (error?: Error) => {
    if (!stopped) onEnd(error);
    stopped = true;
  };
  if (info.Config?.Tty) lines(stream, 'stdout', onLines);
  else {
    // Without a TTY Docker multiplexes stdout and stderr with 8-byte frame headers.
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    lines(out, 'stdout', onLines);
    lines(err, 'stderr', onLines);
  }
  stream.on('error', (error: Error) => end(error));
  stream.on('end', () => end());
  return {
    stop: () => {
      stopped = true;
      stream.destroy();
    },
  };
}
