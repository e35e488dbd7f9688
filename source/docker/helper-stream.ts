import type Dockerode from 'dockerode';
import {
  createHelper,
  HelperError,
  notStarted,
  startedOrDone,
  waitTask,
  type HelperOptions,
} from './swarm-helper.js';

/** Where a helper runs and how long its task may take to start. */
export type StreamOptions = HelperOptions & { nodeId: string; nodeName: string; startMs?: number };

/** A followed helper; stop removes its service (the promise settles once it is removed). */
export interface HelperSubscription {
  stop(): Promise<void>;
}

/** One line a long-running helper printed, on its stdout or stderr. */
export type HelperLine = { text: string; stream: 'stdout' | 'stderr' };

/**
 * Runs `command` on one node through Swarm for as long as it is followed: a helper service
 * (as runSwarmHelper's) whose output comes back line by line through the service's followed
 * logs. The service is removed on stop, when its command ends, and when it cannot start.
 */
export async function followSwarmHelper(
  docker: Dockerode,
  options: StreamOptions,
  command: string[],
  onLines: (lines: HelperLine[]) => void,
  onEnd: (error?: Error) => void,
): Promise<HelperSubscription> {
  const id = await createHelper(docker, options, command);
  const service = docker.getService(id);
  let stopped = false;
  let stream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
  let removed: Promise<void> | undefined;
  const remove = () =>
    (removed ??= service.remove().then(
      () => undefined,
      () => undefined,
    ));
  const end = (error?: Error) => {
    if (stopped) return;
    stopped = true;
    stream?.destroy();
    void remove();
    onEnd(error);
  };
  try {
    await waitStarted(docker, id, options);
    if (stopped) return { stop: remove };
    stream = (await service.logs({
      follow: true,
      stdout: true,
      stderr: true,
    })) as unknown as NodeJS.ReadableStream & { destroy(): void };
  } catch (error) {
    await remove();
    throw error;
  }
  const frames = frameReader(onLines);
  stream.on('data', (chunk: Buffer) => frames(chunk));
  stream.on('error', (error: Error) => end(error));
  stream.on('end', () => end());
  return {
    stop: () => {
      stopped = true;
      stream?.destroy();
      return remove();
    },
  };
}

// The logs can be followed once the task runs (or has already ended: its output is kept).
async function waitStarted(docker: Dockerode, id: string, options: StreamOptions): Promise<void> {
  const task = await waitTask(
    docker,
    id,
    { timeoutMs: options.startMs ?? 30_000, nodeName: options.nodeName, what: 'start' },
    startedOrDone,
  );
  const why = notStarted(options, task);
  if (why) throw new HelperError(why);
}

/**
 * Reads Docker's 8-byte framed stdout/stderr chunks as they arrive (a frame may span chunks)
 * and hands over whole lines; an unfinished line waits for its newline.
 */
export function frameReader(onLines: (lines: HelperLine[]) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  const partial = { stdout: '', stderr: '' };
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const out: HelperLine[] = [];
    let offset = 0;
    while (offset + 8 <= pending.length) {
      const size = pending.readUInt32BE(offset + 4);
      if (offset + 8 + size > pending.length) break;
      const stream = pending[offset] === 2 ? 'stderr' : 'stdout';
      const text = partial[stream] + pending.subarray(offset + 8, offset + 8 + size).toString();
      const parts = text.split('\n');
      partial[stream] = parts.pop() ?? '';
      for (const part of parts) out.push({ text: part.replace(/\r$/, ''), stream });
      offset += 8 + size;
    }
    pending = pending.subarray(offset);
    if (out.length) onLines(out);
  };
}
