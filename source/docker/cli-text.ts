import type { CpuLimits } from '../domain/fault.js';
import type { ContainerUsage } from '../domain/types.js';

// What the docker CLI prints, read back: helpers on nodes without an endpoint run the CLI.

/** docker update flags for the given CPU fields only (the others are left as they are). */
export function cpuFlags(limits: Partial<CpuLimits>): string[] {
  const flags: string[] = [];
  if (limits.nanoCpus !== undefined) flags.push('--cpus', String(limits.nanoCpus / 1e9));
  if (limits.cpuQuota !== undefined) flags.push('--cpu-quota', String(limits.cpuQuota));
  if (limits.cpuPeriod !== undefined) flags.push('--cpu-period', String(limits.cpuPeriod));
  return flags;
}

/** The `docker stats --format` the helpers use; parseStats reads it. */
export const STATS_FORMAT = '{{.CPUPerc}} {{.MemUsage}}';

/** A `docker stats` line without the cursor moves it prints between samples; '' if none. */
export function statsLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim();
  return /^[\d.]+%\s+\S+\s*\/\s*\S+$/.test(plain) ? plain : '';
}

/** "1.50% 12MiB / 50MiB" → usage; a limit near the host's memory is no limit. */
export function parseStats(line: string, hostMemory?: number): ContainerUsage | undefined {
  const m = /^([\d.]+)%\s+(\S+)\s*\/\s*(\S+)$/.exec(line);
  const memory = m ? parseDockerSize(m[2]!) : undefined;
  if (!m || memory === undefined) return undefined;
  const limit = parseDockerSize(m[3]!);
  // docker stats prints the limit rounded to two decimals of its unit.
  const unlimited = !limit || (hostMemory !== undefined && limit >= hostMemory * 0.99);
  return {
    cpuPercent: Number(m[1]),
    memoryBytes: memory,
    ...(unlimited ? {} : { memoryLimit: limit }),
  };
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "12.5MiB" → bytes, as docker stats prints sizes; undefined when it is not a size. */
export function parseDockerSize(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([kmgt]?i?b)\s*$/i.exec(text);
  const unit = m && UNITS[m[2]!.toLowerCase()];
  return m && unit ? Math.round(Number(m[1]) * unit) : undefined;
}
