import type Dockerode from 'dockerode';
import type { CpuLimits, MemoryLimits, ServiceLimits } from '../domain/fault.js';
import type { ContainerUsage, SwarmNode } from '../domain/types.js';
import type { ContainerResources, HostResources, SidecarSpec } from './port.js';

// Container and swarm object operations on a dockerode client. Raw shapes stop here.

/** The parts of `docker container inspect` that limits and run state come from. */
export interface RawInspect {
  Image?: string;
  Config?: { Labels?: Record<string, string> };
  State?: { Running?: boolean; Paused?: boolean };
  HostConfig?: {
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    Memory?: number;
    MemorySwap?: number;
  };
}

/** Reads a container's limits and run state. */
export async function readResources(docker: Dockerode, id: string): Promise<ContainerResources> {
  return resourcesOf((await docker.getContainer(id).inspect()) as unknown as RawInspect);
}

/** A container's limits and run state from its inspect document. */
export function resourcesOf(raw: RawInspect): ContainerResources {
  const hc = raw.HostConfig ?? {};
  return {
    cpu: { nanoCpus: hc.NanoCpus ?? 0, cpuQuota: hc.CpuQuota ?? 0, cpuPeriod: hc.CpuPeriod ?? 0 },
    memory: { memory: hc.Memory ?? 0, memorySwap: hc.MemorySwap ?? 0 },
    running: raw.State?.Running === true,
    paused: raw.State?.Paused === true,
    labels: raw.Config?.Labels ?? {},
    ...(raw.Image ? { image: raw.Image } : {}),
  };
}

/** One stats sample's memory usage, without the page cache like `docker stats`. */
export async function readMemoryUsage(docker: Dockerode, id: string): Promise<number> {
  return (await readUsage(docker, id)).memoryBytes;
}

/** The parts of a stats answer a usage sample reads. */
export interface RawStats {
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: {
    usage?: number;
    limit?: number;
    stats?: { cache?: number; inactive_file?: number; total_inactive_file?: number };
  };
}

/** CPU % of one CPU and memory without the page cache, as `docker stats` computes them. */
export function usageOf(raw: RawStats, hostMemory?: number): ContainerUsage {
  const m = raw.memory_stats ?? {};
  const cache = m.stats?.total_inactive_file ?? m.stats?.inactive_file ?? m.stats?.cache ?? 0;
  const cpu = raw.cpu_stats ?? {};
  const pre = raw.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const cpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const measured = pre.system_cpu_usage !== undefined && systemDelta > 0 && cpuDelta >= 0;
  return {
    ...(measured ? { cpuPercent: (cpuDelta / systemDelta) * cpus * 100 } : {}),
    memoryBytes: Math.max(0, (m.usage ?? 0) - cache),
    // A container without a limit reports the host's memory as its limit: that is no limit.
    ...(m.limit && !(hostMemory && m.limit >= hostMemory) ? { memoryLimit: m.limit } : {}),
  };
}

/** One stats sample (docker stats --no-stream). */
export async function readUsage(
  docker: Dockerode,
  id: string,
  hostMemory?: number,
): Promise<ContainerUsage> {
  const raw = (await docker.getContainer(id).stats({ stream: false })) as unknown as RawStats;
  return usageOf(raw, hostMemory);
}

/** CPUs and memory of the engine's machine. */
export async function readHost(docker: Dockerode): Promise<HostResources> {
  const info = (await docker.info()) as { NCPU?: number; MemTotal?: number; CgroupDriver?: string };
  return {
    cpus: info.NCPU ?? 0,
    memoryBytes: info.MemTotal ?? 0,
    ...(info.CgroupDriver ? { cgroupDriver: info.CgroupDriver } : {}),
  };
}

/** Creates and starts a sidecar: `sh -c SCRIPT`, no network, removed by the engine when it ends. */
export async function startSidecar(docker: Dockerode, spec: SidecarSpec): Promise<string> {
  const container = await docker.createContainer({
    name: spec.name,
    Image: spec.image,
    Entrypoint: ['sh', '-c', spec.script],
    Cmd: [],
    Labels: spec.labels,
    HostConfig: { CgroupParent: spec.cgroupParent, AutoRemove: true, NetworkMode: 'none' },
  });
  await container.start();
  return container.id;
}

/** docker rm -f; false when the engine has no such container. */
export async function removeContainer(docker: Dockerode, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true });
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** docker update with CPU fields; only the given fields are sent. */
export async function writeCpu(
  docker: Dockerode,
  id: string,
  limits: Partial<CpuLimits>,
): Promise<void> {
  const body: Record<string, number> = {};
  if (limits.nanoCpus !== undefined) body.NanoCpus = limits.nanoCpus;
  if (limits.cpuQuota !== undefined) body.CpuQuota = limits.cpuQuota;
  if (limits.cpuPeriod !== undefined) body.CpuPeriod = limits.cpuPeriod;
  await docker.getContainer(id).update(body);
}

/** docker update with memory and swap together (Docker refuses one without the other when lowering). */
export async function writeMemory(
  docker: Dockerode,
  id: string,
  limits: MemoryLimits,
): Promise<void> {
  await docker.getContainer(id).update({ Memory: limits.memory, MemorySwap: limits.memorySwap });
}

interface RawNodeSpec {
  Version?: { Index?: number };
  Spec?: { Availability?: string; Role?: string; Labels?: Record<string, string>; Name?: string };
}

/** A node's availability. */
export async function readAvailability(
  docker: Dockerode,
  nodeId: string,
): Promise<SwarmNode['availability']> {
  const raw = (await docker.getNode(nodeId).inspect()) as RawNodeSpec;
  const a = raw.Spec?.Availability;
  return a === 'drain' || a === 'pause' ? a : 'active';
}

/** Sets a node's availability, keeping the rest of its spec. */
export async function writeAvailability(
  docker: Dockerode,
  nodeId: string,
  availability: SwarmNode['availability'],
): Promise<void> {
  const node = docker.getNode(nodeId);
  const raw = (await node.inspect()) as RawNodeSpec;
  await node.update({ version: raw.Version?.Index, ...raw.Spec, Availability: availability });
}

interface RawServiceSpec {
  Version?: { Index?: number };
  Spec?: {
    TaskTemplate?: {
      Resources?: { Limits?: { NanoCPUs?: number; MemoryBytes?: number }; Reservations?: object };
    };
  } & Record<string, unknown>;
}

/** A service's resource limits. */
export async function readServiceLimits(
  docker: Dockerode,
  serviceId: string,
): Promise<ServiceLimits> {
  const raw = (await docker.getService(serviceId).inspect()) as RawServiceSpec;
  const l = raw.Spec?.TaskTemplate?.Resources?.Limits ?? {};
  return {
    ...(l.NanoCPUs ? { nanoCpus: l.NanoCPUs } : {}),
    ...(l.MemoryBytes ? { memoryBytes: l.MemoryBytes } : {}),
  };
}

/** Replaces a service's resource limits, keeping the rest of its spec. */
export async function writeServiceLimits(
  docker: Dockerode,
  serviceId: string,
  limits: ServiceLimits,
): Promise<void> {
  const service = docker.getService(serviceId);
  const raw = (await service.inspect()) as RawServiceSpec;
  const spec = raw.Spec ?? {};
  const template = spec.TaskTemplate ?? {};
  const resources = template.Resources ?? {};
  await service.update({
    version: raw.Version?.Index,
    ...spec,
    TaskTemplate: {
      ...template,
      Resources: {
        ...resources,
        Limits: {
          ...(limits.nanoCpus ? { NanoCPUs: limits.nanoCpus } : {}),
          ...(limits.memoryBytes ? { MemoryBytes: limits.memoryBytes } : {}),
        },
      },
    },
  });
}

/** docker service scale: a replicated service's replica count. */
export async function writeReplicas(
  docker: Dockerode,
  serviceId: string,
  replicas: number,
): Promise<void> {
  const service = docker.getService(serviceId);
  const raw = (await service.inspect()) as RawServiceSpec & {
    Spec?: { Mode?: { Replicated?: { Replicas?: number } } };
  };
  const spec = raw.Spec ?? {};
  if (!spec.Mode?.Replicated)
    throw new Error('a global service runs one task per node: it has no replica count');
  await service.update({
    version: raw.Version?.Index,
    ...spec,
    Mode: { ...spec.Mode, Replicated: { ...spec.Mode.Replicated, Replicas: replicas } },
  });
}

/** docker service update --force: Swarm replaces every task, as its update policy says. */
export async function forceUpdate(docker: Dockerode, serviceId: string): Promise<void> {
  const service = docker.getService(serviceId);
  const raw = (await service.inspect()) as RawServiceSpec & {
    Spec?: { TaskTemplate?: { ForceUpdate?: number } };
  };
  const spec = raw.Spec ?? {};
  const template = spec.TaskTemplate ?? {};
  await service.update({
    version: raw.Version?.Index,
    ...spec,
    TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 },
  });
}
