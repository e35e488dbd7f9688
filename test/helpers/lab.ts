import { execa } from 'execa';
import { describe } from 'vitest';
import { DockerEngine } from '../../source/docker/client.js';
import { parseEndpoint } from '../../source/docker/endpoint.js';

/** True when integration tests should run: in CI always (a missing lab then fails them). */
export const integrationEnabled =
  process.env.CI === 'true' || process.env.CHAOSDECK_INTEGRATION === '1';

/** describe() that runs against the lab swarm; skipped loudly outside CI without a lab. */
export function describeLab(name: string, fn: () => void): void {
  if (!integrationEnabled) {
    console.warn(
      `SKIPPED integration suite "${name}": set CHAOSDECK_INTEGRATION=1 with the lab up (scripts/lab.sh up)`,
    );
    describe.skip(name, fn);
    return;
  }
  describe(name, fn);
}

/** Runs the docker CLI against the manager (or another endpoint) and returns stdout. */
export async function docker(args: string[], host?: string): Promise<string> {
  const result = await execa('docker', host ? ['-H', host, ...args] : args);
  return result.stdout.trim();
}

/** Creates a test service from the lab's offline image (no registry: --no-resolve-image). */
export function createService(name: string, options: string[], command: string[]): Promise<string> {
  return docker([
    'service',
    'create',
    '--detach',
    '--quiet',
    '--no-resolve-image',
    '--name',
    name,
    ...options,
    'demo/busybox:local',
    ...command,
  ]);
}

/** Connects the real engine client to the lab manager. */
export function connectLab(): Promise<DockerEngine> {
  return DockerEngine.connect(parseEndpoint(undefined, process.env));
}

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until every lab service runs its desired replicas. */
export async function waitLabConverged(timeoutMs = 120_000): Promise<void> {
  await waitFor(
    'the lab stack to converge',
    async () => {
      const out = await docker([
        'service',
        'ls',
        '--filter',
        'label=com.docker.stack.namespace=lab',
        '--format',
        '{{.Replicas}}',
      ]);
      return out.split('\n').every((r) => {
        const [running, desired] = r.split(' ')[0]!.split('/');
        return running === desired;
      });
    },
    timeoutMs,
    250,
  );
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A container's exit code once it has exited by itself (docker inspect), within `timeoutMs`. */
export function containerExitCode(name: string, timeoutMs = 45_000): Promise<number> {
  return waitFor(
    `${name} to exit`,
    async () => {
      const [status, code] = (
        await docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name])
      ).split(' ');
      return status === 'exited' ? Number(code) : undefined;
    },
    timeoutMs,
    50,
  );
}
