import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { demux } from './net-exec.js';
import type { ExecResult } from './port.js';

/** Where helpers run from: an image with a docker client, and the node's Docker socket. */
export interface HelperOptions {
  /** An image with the docker CLI on PATH (docker:cli on a swarm that can pull). */
  image: string;
  /** The Docker socket on every node, mounted into the helper. */
  socket: string;
}

/** The label that marks helper services: hidden from the views, removed by `restore`. */
export const HELPER_LABEL = 'chaosdeck.helper';

const DONE = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/** A helper's task as Swarm lists it. */
export interface RawHelperTask {
  Status?: {
    State?: string;
    Err?: string;
    ContainerStatus?: { ExitCode?: number };
  };
}

/** A helper that could not run at all (image missing on the node, no socket, a timeout). */
export class HelperError extends Error {}

/**
 * Runs `docker ARGS` on one node through Swarm itself: a one-shot service constrained to the
 * node (restart condition none) with the node's Docker socket mounted; its output comes back
 * through the service's logs, and the service is removed whatever happens.
 */
export async function runSwarmHelper(
  docker: Dockerode,
  options: HelperOptions & { nodeId: string; nodeName: string; args: string[]; timeoutMs?: number },
): Promise<ExecResult> {
  const id = await createHelper(docker, options, ['docker', ...options.args]);
  const service = docker.getService(id);
  try {
    const task = await waitTask(docker, id, {
      timeoutMs: options.timeoutMs ?? 30_000,
      nodeName: options.nodeName,
      what: 'finish',
    });
    const why = notStarted(options, task);
    if (why) throw new HelperError(why);
    const raw = (await service.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    const { stdout, stderr, engineError } = demux(
      Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)),
    );
    if (engineError) throw new HelperError(lostOutput(options.nodeName, engineError));
    return { exitCode: task.Status?.ContainerStatus?.ExitCode ?? 1, stdout, stderr };
  } finally {
    await service.remove().catch(() => undefined);
  }
}

/** Why a helper's output did not come back: Swarm's log stream from the node failed. */
export function lostOutput(nodeName: string, engineError: string): string {
  const said = engineError.replace(/^Error grabbing logs: (rpc error: code = \w+ desc = )?/, '');
  return /is not available/.test(said)
    ? `Swarm did not hand over the helper's output from node ${nodeName}: its log stream from that node is lost (${said}); after a network cut the node's next session brings it back (a restart of its engine does)`
    : `Swarm did not hand over the helper's output from node ${nodeName} (${said})`;
}

/**
 * Creates the helper service: one task on the node, restart condition none, the node's Docker
 * socket mounted, labelled so the views hide it and `restore` removes it. Returns its id.
 */
export async function createHelper(
  docker: Dockerode,
  options: HelperOptions & { nodeId: string },
  command: string[],
): Promise<string> {
  const name = `chaosdeck-helper-${randomBytes(4).toString('hex')}`;
  const created = (await docker.createService({
    Name: name,
    Labels: { [HELPER_LABEL]: 'true' },
    TaskTemplate: {
      ContainerSpec: {
        Image: options.image,
        Command: command,
        Labels: { [HELPER_LABEL]: 'true' },
        Mounts: [{ Type: 'bind', Source: options.socket, Target: '/var/run/docker.sock' }],
      },
      Placement: { Constraints: [`node.id==${options.nodeId}`] },
      RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
    },
    Mode: { Replicated: { Replicas: 1 } },
  } as Dockerode.CreateServiceOptions)) as { id?: string; ID?: string };
  return created.id ?? created.ID ?? name;
}

/** Says why a helper task never ran its command (rejected by the node), or undefined. */
export function notStarted(
  options: HelperOptions & { nodeName: string },
  task: RawHelperTask,
): string | undefined {
  const state = task.Status?.State;
  if (state === 'rejected' || (state === 'failed' && task.Status?.ContainerStatus === undefined))
    return cannotStart(options, task.Status?.Err ?? state);
  return undefined;
}

function cannotStart(options: HelperOptions & { nodeName: string }, why: string): string {
  if (/no such image|not found|pull access denied|manifest unknown/i.test(why))
    return `the helper image ${options.image} is not on node ${options.nodeName} (${why}); load it there or give --helper-image`;
  if (/bind source path does not exist/i.test(why))
    return `node ${options.nodeName} has no Docker socket at ${options.socket} for the helper (${why})`;
  return `the helper on node ${options.nodeName} could not start: ${why}`;
}

/**
 * Polls the helper's task until its state is one `reached` takes (Swarm's task list is the only
 * place that says how a one-shot task got on); past the timeout, says how far it got.
 */
export async function waitTask(
  docker: Dockerode,
  serviceId: string,
  options: { timeoutMs: number; nodeName: string; what: 'finish' | 'start' },
  reached: (state: string) => boolean = (state) => DONE.has(state),
): Promise<RawHelperTask> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const tasks = (await docker.listTasks({
      filters: { service: [serviceId] },
    })) as RawHelperTask[];
    const task = tasks[0];
    const state = task?.Status?.State;
    if (task && state && reached(state)) return task;
    if (Date.now() > deadline)
      throw new HelperError(
        `the helper on node ${options.nodeName} did not ${options.what} in ${Math.round(options.timeoutMs / 1000)} s (task ${state ?? 'not scheduled'}${task?.Status?.Err ? `: ${task.Status.Err}` : ''})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** True for a state in which a helper's logs can be read: running, or ended in any way. */
export const startedOrDone = (state: string) => state === 'running' || DONE.has(state);
