import type Dockerode from 'dockerode';
import type { ExecResult } from './port.js';

/** Runs argv in the network namespace of a container's process, with nsenter (needs root there). */
export async function nsenterExec(
  docker: Dockerode,
  containerId: string,
  argv: string[],
): Promise<ExecResult> {
  const info = (await docker.getContainer(containerId).inspect()) as unknown as {
    State?: { Pid?: number };
  };
  const pid = info.State?.Pid;
  if (!pid) throw new Error(`container ${containerId.slice(0, 12)} has no running process`);
  // Loaded on first use: execa is a noticeable part of start-up and most sessions never need it.
  const { execa } = await import('execa');
  const r = await execa('nsenter', ['-t', String(pid), '-n', ...argv], {
    reject: false,
    timeout: 15_000,
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The cgroup path in /proc/PID/cgroup: the CPU controller's on v1, the one on v2. */
export function cgroupPathOf(text: string): string | undefined {
  const lines = text.split('\n');
  for (const line of lines) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line.trim());
    if (m && m[1]!.split(',').includes('cpu')) return m[2];
  }
  return /^0::(\/.*)$/m.exec(text)?.[1];
}

/** Reads a running container's cgroup from a one-shot container in the host's PID namespace. */
export async function readCgroupPath(
  docker: Dockerode,
  containerId: string,
  image: string,
): Promise<string | undefined> {
  const info = (await docker.getContainer(containerId).inspect()) as unknown as {
    State?: { Pid?: number };
  };
  const pid = info.State?.Pid;
  if (!pid) return undefined;
  const r = await runOnce(docker, {
    Image: image,
    Entrypoint: ['cat'],
    Cmd: [`/proc/${pid}/cgroup`],
    Labels: { 'chaosdeck.helper': 'true', 'chaosdeck.target': containerId },
    HostConfig: { PidMode: 'host', NetworkMode: 'none', AutoRemove: false },
  });
  if (r.exitCode !== 0)
    throw new Error(`cat /proc/${pid}/cgroup: ${(r.stderr || r.stdout).trim()}`);
  return cgroupPathOf(r.stdout);
}

/**
 * Runs argv in a short-lived helper container that shares the target's network namespace
 * (NetworkMode container:<id>, NET_ADMIN), then removes it: the helper never outlives the command.
 */
export async function helperExec(
  docker: Dockerode,
  image: string,
  containerId: string,
  argv: string[],
): Promise<ExecResult> {
  return runOnce(docker, {
    Image: image,
    Cmd: argv,
    Entrypoint: [],
    Labels: { 'chaosdeck.helper': 'true', 'chaosdeck.target': containerId },
    HostConfig: {
      NetworkMode: `container:${containerId}`,
      CapAdd: ['NET_ADMIN'],
      AutoRemove: false,
    },
  });
}

/** Creates, starts and waits for a container (15 s at most), returns its output, removes it. */
async function runOnce(
  docker: Dockerode,
  options: Dockerode.ContainerCreateOptions,
): Promise<ExecResult> {
  const helper = await docker.createContainer(options);
  try {
    await helper.start();
    const result = (await Promise.race([
      helper.wait(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('helper did not finish in 15 s')), 15_000),
      ),
    ])) as { StatusCode?: number };
    const logs = (await helper.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    const { stdout, stderr } = demux(logs);
    return { exitCode: result.StatusCode ?? 1, stdout, stderr };
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Splits Docker's 8-byte framed stdout/stderr chunks (logs without a TTY). Stream 3 is the
 * engine's own error in the middle of a stream ("Error grabbing logs: …"), kept apart.
 */
export function demux(buffer: Buffer): { stdout: string; stderr: string; engineError?: string } {
  let stdout = '';
  let stderr = '';
  let engineError = '';
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const chunk = buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    if (stream === 2) stderr += chunk;
    else if (stream === 3) engineError += chunk;
    else stdout += chunk;
    offset += 8 + size;
  }
  return { stdout, stderr, ...(engineError ? { engineError: engineError.trim() } : {}) };
}
