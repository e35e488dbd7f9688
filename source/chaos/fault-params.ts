import type { FaultKind } from '../domain/fault.js';

/** The fault flags of a scripted action, as meow parsed them. */
export interface FaultFlags {
  signal?: string;
  grace?: string;
  cpus?: string;
  memory?: string;
  scope?: string;
  delay?: string;
  jitter?: string;
  loss?: string;
  rate?: string;
  method?: string;
}

const OWN: Record<FaultKind, (keyof FaultFlags)[]> = {
  kill: ['signal'],
  stop: ['grace'],
  pause: [],
  cpu: ['cpus', 'scope'],
  memory: ['memory', 'scope'],
  net: ['delay', 'jitter', 'loss', 'rate', 'method'],
  drain: [],
};

/** Every fault flag's name (each fault takes some of them). */
export const FAULT_FLAG_NAMES: readonly (keyof FaultFlags)[] = [
  ...new Set(Object.values(OWN).flat()),
];

/**
 * The console dialog's fields from flags (the same names the prepare step checks), or a usage
 * error: a flag that belongs to another fault, a missing required one.
 */
export function faultParams(
  kind: FaultKind,
  flags: FaultFlags,
): { params: Record<string, string> } | { error: string } {
  const all = new Set(Object.values(OWN).flat());
  const stray = [...all].filter((k) => flags[k] !== undefined && !OWN[kind].includes(k));
  if (stray.length) return { error: `--${stray[0]} is not an option of ${kind}` };
  const scope = flags.scope ?? 'container';
  if (!['container', 'service'].includes(scope))
    return { error: `--scope must be container or service, got "${scope}"` };
  switch (kind) {
    case 'kill':
      return { params: { signal: flags.signal ?? 'SIGKILL' } };
    case 'stop':
      return { params: { grace: flags.grace ?? '10' } };
    case 'cpu':
      if (!flags.cpus) return { error: 'cpu needs --cpus (0.2 CPUs, or 50% of the current limit)' };
      return { params: { cpus: flags.cpus, scope } };
    case 'memory':
      if (!flags.memory) return { error: 'memory needs --memory (a limit, e.g. 50m)' };
      return { params: { limit: flags.memory, scope } };
    case 'net': {
      const given = (['delay', 'loss', 'rate'] as const).filter((k) => flags[k] !== undefined);
      if (given.length !== 1) return { error: 'net needs one of --delay D, --loss P% or --rate R' };
      const type = given[0]!;
      if (flags.jitter && type !== 'delay') return { error: '--jitter goes with --delay' };
      return {
        params: {
          type,
          amount: flags[type]!,
          jitter: flags.jitter ?? '',
          method: flags.method ?? 'auto',
        },
      };
    }
    default:
      return { params: {} };
  }
}
