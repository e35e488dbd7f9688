import { FAULTS, faultModule } from './registry.js';

/** A scripted fault's flags, as meow parsed them (each kind reads its own). */
export type FaultFlags = Record<string, unknown>;

/** Every fault flag's name (each fault takes some of them). */
export const FAULT_FLAG_NAMES: readonly string[] = [
  ...new Set(FAULTS.flatMap((f) => f.flags.map((flag) => flag.name))),
];

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The console dialog's fields from flags (the same names the prepare step checks), or a usage
 * error: a flag that belongs to another fault, a missing required one.
 */
export function faultParams(
  kind: string,
  flags: FaultFlags,
): { params: Record<string, string> } | { error: string } {
  const module = faultModule(kind);
  const own = module.flags.map((f) => f.name);
  const stray = FAULT_FLAG_NAMES.find((k) => flags[k] !== undefined && !own.includes(k));
  if (stray) return { error: `--${kebab(stray)} is not an option of ${kind}` };
  const given = Object.fromEntries(
    own.map((k) => [k, typeof flags[k] === 'string' ? (flags[k] as string) : undefined]),
  );
  return module.params(given);
}
