import { memoryProblem, readDuration } from '../format/user-input.js';
import { describeFault } from '../format/fault-lines.js';
import {
  checkMemoryLimit,
  effectiveCpus,
  formatBytes,
  parseCpus,
  parseMemory,
  parseSignal,
  type FaultKind,
  type FaultTarget,
  type UndoSpec,
} from '../domain/fault.js';
import type { ContainerPort, SwarmPort } from '../docker/port.js';
import { FaultError } from './fault-error.js';
import { prepareNet } from './prepare-net.js';

/** A fault as the user asked for it: raw field values from the prompt. */
export interface FaultRequest {
  kind: FaultKind;
  target: FaultTarget;
  params: Record<string, string>;
}

/** A checked fault, ready to apply, with its undo captured from the live target. */
export interface PreparedFault {
  kind: FaultKind;
  target: FaultTarget;
  params: Record<string, string | number>;
  description: string;
  durationMs?: number;
  undo: UndoSpec;
  apply(): Promise<void>;
}

export { FaultError };

/** The ports a fault needs. */
export interface FaultPorts {
  swarm: SwarmPort;
  containerPort(nodeId: string): ContainerPort | undefined;
}

/** The engine for the target's node, or a FaultError that says how to give one. */
export function portFor(ports: FaultPorts, nodeId: string, nodeName: string): ContainerPort {
  const port = ports.containerPort(nodeId);
  if (!port)
    throw new FaultError(
      `task runs on node ${nodeName}; give --node ${nodeName}=ssh://user@host or unix:///path, or --helpers to reach it through Swarm`,
    );
  return port;
}

function parseWindow(text: string | undefined): number | undefined {
  if (!text || text.trim() === '') return undefined;
  const ms = readDuration(text, '30s, 2m or 1500ms; empty: until undone');
  if (typeof ms !== 'number') throw new FaultError(ms.error);
  return ms;
}

const NO_LIMIT = (what: string) =>
  new FaultError(
    `the container has no ${what} limit, so an in-place change could not be undone exactly (Docker cannot clear a limit). ` +
      'Set scope to "service": a service update that restarts the tasks and restores the old limits exactly.',
  );

/**
 * Checks a fault against the live target and captures its undo, without changing anything.
 * Called for the confirmation and again right before applying (the target may have changed).
 */
export async function prepareFault(req: FaultRequest, ports: FaultPorts): Promise<PreparedFault> {
  const { kind, target, params } = req;
  const durationMs =
    kind === 'pause' || kind === 'cpu' || kind === 'memory' || kind === 'net'
      ? parseWindow(params.duration)
      : undefined;
  const windowParam: Record<string, string> = durationMs
    ? { duration: params.duration!.trim() }
    : {};
  const done = (
    p: Omit<PreparedFault, 'kind' | 'target' | 'description' | 'durationMs'>,
  ): PreparedFault => ({
    kind,
    target,
    ...(durationMs ? { durationMs } : {}),
    description: describeFault(kind, p.params),
    ...p,
  });

  if (kind === 'drain') {
    const previous = await ports.swarm.nodeAvailability(target.nodeId);
    if (previous === 'drain') throw new FaultError(`node ${target.nodeName} is already drained`);
    return done({
      params: { node: target.nodeName, from: previous },
      undo: { kind: 'availability', nodeId: target.nodeId, previous },
      apply: () => ports.swarm.setNodeAvailability(target.nodeId, 'drain'),
    });
  }

  const serviceScope = (kind === 'cpu' || kind === 'memory') && params.scope?.trim() === 'service';
  if (serviceScope) return prepareServiceLimits(req, ports, windowParam, done);

  const port = portFor(ports, target.nodeId, target.nodeName);
  const res = await port.inspectResources(target.containerId);
  if (!res)
    throw new FaultError(
      `container ${target.containerId.slice(0, 12)} is gone (the task was replaced?); select the task again`,
    );
  if (!res.running)
    throw new FaultError(`container ${target.containerId.slice(0, 12)} is not running`);
  if (res.paused && kind !== 'cpu' && kind !== 'memory')
    throw new FaultError(
      `container ${target.containerId.slice(0, 12)} is paused; undo that first (u)`,
    );
  const id = target.containerId;

  switch (kind) {
    case 'net': {
      const net = await prepareNet(port, id, target.nodeId, params);
      return done({ params: { ...net.params, ...windowParam }, undo: net.undo, apply: net.apply });
    }
    case 'kill': {
      const signal = parseSignal(params.signal ?? '');
      if (!signal)
        throw new FaultError(
          `"${params.signal}" is not one of SIGKILL, SIGTERM, SIGINT, SIGHUP, SIGQUIT`,
        );
      return done({
        params: { signal },
        undo: { kind: 'none' },
        apply: () => port.kill(id, signal),
      });
    }
    case 'stop': {
      const text = (params.grace ?? '').trim() || '10';
      const grace = Number(text);
      if (!/^\d+$/.test(text) || grace > 3600)
        throw new FaultError(`grace must be whole seconds from 0 to 3600, got "${text}"`);
      return done({ params: { grace }, undo: { kind: 'none' }, apply: () => port.stop(id, grace) });
    }
    case 'pause':
      return done({
        params: { ...windowParam },
        undo: { kind: 'unpause', containerId: id, nodeId: target.nodeId },
        apply: () => port.pause(id),
      });
    case 'cpu': {
      const current = effectiveCpus(res.cpu);
      if (current === 0) throw NO_LIMIT('CPU');
      const host = await port.hostResources();
      const parsed = parseCpus(params.cpus ?? '', current, host.cpus);
      if ('error' in parsed) throw new FaultError(parsed.error);
      const previous = { ...res.cpu };
      // Keep the mechanism the limit was set with: Docker refuses to mix NanoCpus and CpuQuota.
      const change =
        previous.nanoCpus > 0
          ? { nanoCpus: Math.round(parsed.cpus * 1e9) }
          : {
              cpuQuota: Math.round(parsed.cpus * (previous.cpuPeriod || 100_000)),
              cpuPeriod: previous.cpuPeriod || 100_000,
            };
      return done({
        params: { cpus: parsed.cpus, from: current, ...windowParam },
        undo: { kind: 'cpu', containerId: id, nodeId: target.nodeId, previous },
        apply: () => port.updateCpu(id, change),
      });
    }
    case 'memory': {
      // What was typed first: a limit that cannot be read is the user's to mend before anything.
      const bytes = parseMemory(params.limit ?? '');
      if (bytes === undefined) throw new FaultError(memoryProblem(String(params.limit ?? '')));
      if (res.memory.memory <= 0) throw NO_LIMIT('memory');
      const [host, usage] = await Promise.all([port.hostResources(), port.memoryUsage(id)]);
      const problem = checkMemoryLimit(bytes, usage, host.memoryBytes);
      if (problem) throw new FaultError(problem);
      const previous = { ...res.memory };
      return done({
        params: {
          limit: formatBytes(bytes!),
          bytes: bytes!,
          from: formatBytes(previous.memory),
          ...windowParam,
        },
        undo: { kind: 'memory', containerId: id, nodeId: target.nodeId, previous },
        // No swap beyond the limit: pressure ends in the OOM killer, as in the seed game day.
        apply: () => port.updateMemory(id, { memory: bytes!, memorySwap: bytes! }),
      });
    }
  }
}

async function prepareServiceLimits(
  req: FaultRequest,
  ports: FaultPorts,
  windowParam: Record<string, string>,
  done: (p: Omit<PreparedFault, 'kind' | 'target' | 'description' | 'durationMs'>) => PreparedFault,
): Promise<PreparedFault> {
  const { kind, target, params } = req;
  const previous = await ports.swarm.serviceLimits(target.serviceId);
  if (kind === 'cpu') {
    const current = (previous.nanoCpus ?? 0) / 1e9;
    const parsed = parseCpus(params.cpus ?? '', current, 0);
    if ('error' in parsed) throw new FaultError(parsed.error);
    const next = { ...previous, nanoCpus: Math.round(parsed.cpus * 1e9) };
    return done({
      params: { cpus: parsed.cpus, from: current || 'none', scope: 'service', ...windowParam },
      undo: { kind: 'service-limits', serviceId: target.serviceId, previous },
      apply: () => ports.swarm.setServiceLimits(target.serviceId, next),
    });
  }
  const bytes = parseMemory(params.limit ?? '');
  if (bytes === undefined) throw new FaultError(memoryProblem(String(params.limit ?? '')));
  const problem = checkMemoryLimit(bytes, 0, 0);
  if (problem) throw new FaultError(problem);
  const next = { ...previous, memoryBytes: bytes! };
  return done({
    params: {
      limit: formatBytes(bytes!),
      bytes: bytes!,
      from: previous.memoryBytes ? formatBytes(previous.memoryBytes) : 'none',
      scope: 'service',
      ...windowParam,
    },
    undo: { kind: 'service-limits', serviceId: target.serviceId, previous },
    apply: () => ports.swarm.setServiceLimits(target.serviceId, next),
  });
}
