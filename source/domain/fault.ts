/**
 * The name of a kind of fault ("pause"). The kinds themselves are modules, listed once in
 * source/faults/registry.ts; a name read from outside is checked there.
 */
export type FaultKind = string;

/** How network faults reach a container's namespace: nsenter (root on that node) or a helper container. */
export type NetMethod = 'nsenter' | 'helper';

/** Where a fault lands: a task's container on a node. */
export interface FaultTarget {
  serviceId: string;
  serviceName: string;
  taskId: string;
  /** "lab_web.1", as the tasks pane names it. */
  slotName: string;
  containerId: string;
  nodeId: string;
  nodeName: string;
}

/** CPU limits of a container, exactly as HostConfig has them. */
export interface CpuLimits {
  nanoCpus: number;
  cpuQuota: number;
  cpuPeriod: number;
}

/** Memory limits of a container, exactly as HostConfig has them. */
export interface MemoryLimits {
  memory: number;
  memorySwap: number;
}

/** Limits in a service spec (TaskTemplate.Resources.Limits). */
export interface ServiceLimits {
  nanoCpus?: number;
  memoryBytes?: number;
}

/**
 * Everything needed to undo a fault, captured before the change: `kind` says which undo it is
 * (`none` for a fault with nothing to put back); the fault's module reads the rest.
 */
export interface UndoSpec {
  kind: string;
  [field: string]: unknown;
}

/** Where a fault stands. */
export type FaultStatus = 'applying' | 'active' | 'undo-failed';

/** One applied fault, as the ledger keeps it. */
export interface FaultRecord {
  id: string;
  kind: FaultKind;
  target: FaultTarget;
  /** What the user chose: signal, grace, limit, duration... */
  params: Record<string, string | number>;
  appliedAt: number;
  /** When a timed fault ends by itself. */
  endsAt?: number;
  undo: UndoSpec;
  status: FaultStatus;
  error?: string;
  /** Recorded under --dry-run: nothing was changed. */
  dryRun?: boolean;
  /** The process that holds it now (a restore after a crash takes it over). */
  pid: number;
  /** The process that applied it, once another took it over (restore, a console's adopt). */
  appliedBy?: number;
  /** That process's start time (/proc), so a reused PID is not taken for it. */
  pidStart?: string;
  /** Recorded in the swarm too (its undo is claimed there, so it runs once). */
  inSwarm?: boolean;
  /** user@host of the run that applied it, when it was read from the swarm (another machine's). */
  owner?: string;
  /** When its holder last said it is alive (the swarm's heartbeat), with `owner`. */
  aliveAt?: number;
}

/** True for faults that leave something to undo (kill and stop do not: Swarm replaces the task). */
export function needsUndo(undo: UndoSpec): boolean {
  return undo.kind !== 'none';
}

/** Signals `x` offers. */
export const KILL_SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const;

/** Parses a signal name ("kill", "SIGKILL", "9" for the ones offered); undefined when unknown. */
export function parseSignal(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (t === '') return 'SIGKILL';
  const numbers: Record<string, string> = {
    '9': 'SIGKILL',
    '15': 'SIGTERM',
    '2': 'SIGINT',
    '1': 'SIGHUP',
    '3': 'SIGQUIT',
  };
  const name = numbers[t] ?? (t.startsWith('SIG') ? t : `SIG${t}`);
  return (KILL_SIGNALS as readonly string[]).includes(name) ? name : undefined;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses "50m", "384MB", "1g", "65536" into bytes; undefined for junk, zero or negatives. */
export function parseMemory(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * MEMORY_UNITS[m[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : undefined;
}

/** "50.0 MiB" style. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** The CPUs a container may use now (0 when unlimited). */
export function effectiveCpus(limits: CpuLimits): number {
  if (limits.nanoCpus > 0) return limits.nanoCpus / 1e9;
  if (limits.cpuQuota > 0) return limits.cpuQuota / (limits.cpuPeriod || 100_000);
  return 0;
}

/**
 * Parses a new CPU limit: "0.2" CPUs, or "50%" of the current limit. Returns CPUs, or an error
 * message fit for the user.
 */
export function parseCpus(
  text: string,
  currentCpus: number,
  hostCpus: number,
): { cpus: number } | { error: string } {
  const t = text.trim();
  let cpus: number;
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) {
    if (currentCpus <= 0) return { error: 'a % needs a current CPU limit; give CPUs, e.g. 0.2' };
    cpus = (currentCpus * Number(pct[1])) / 100;
  } else if (/^\d+(\.\d+)?$/.test(t)) {
    cpus = Number(t);
  } else {
    return {
      error: `"${text}" is not a CPU limit: give CPUs (0.2) or a % of the current one (50%)`,
    };
  }
  if (!(cpus >= 0.01)) return { error: `CPU limit must be at least 0.01 (got ${cpus})` };
  if (hostCpus > 0 && cpus > hostCpus)
    return { error: `CPU limit ${cpus} is more than the node's ${hostCpus} CPUs` };
  return { cpus: Math.round(cpus * 100) / 100 };
}

/** Checks a new memory limit against Docker's minimum, the host and the container's usage. */
export function checkMemoryLimit(
  bytes: number | undefined,
  usage: number,
  hostMemory: number,
): string | undefined {
  const min = 6 * 1024 * 1024;
  if (bytes === undefined) return 'give a memory limit like 50m, 384m or 1g';
  if (bytes < min)
    return `memory limit must be at least 6m (Docker's minimum), got ${formatBytes(bytes)}`;
  if (hostMemory > 0 && bytes > hostMemory)
    return `memory limit ${formatBytes(bytes)} is more than the node's ${formatBytes(hostMemory)}`;
  if (usage > 0 && bytes < usage)
    return `memory limit ${formatBytes(bytes)} is below the container's current usage ${formatBytes(usage)}`;
  return undefined;
}

/** How often a run holding faults says so in the swarm (a label on each fault's record). */
export const HEARTBEAT_MS = 10_000;
/** Three missed heartbeats: the holder is gone (killed, asleep, cut off). */
export const OWNER_GONE_MS = 30_000;

/** True when a fault's holder said it is alive less than OWNER_GONE_MS ago. */
export function holderAlive(r: { aliveAt?: number }, now: number): boolean {
  return r.aliveAt !== undefined && now - r.aliveAt < OWNER_GONE_MS;
}
