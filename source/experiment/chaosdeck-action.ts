import { FAULT_FLAG_NAMES } from '../faults/params.js';
import { readFaultCommand } from '../fault-run/fault-plan.js';
import type { FaultCommand } from '../fault-run/apply-fault.js';
import { MAX_DURATION_MS } from '../domain/duration.js';
import { readDuration } from '../format/user-input.js';
import type { ChaosdeckProvider } from './schema.js';
import { traitsOf } from '../faults/registry.js';

/** chaosdeck arguments that are switches, not values. */
const SWITCHES = new Set(['waitRecovery', 'forceLast', 'random']);
const VALUES = new Set<string>([...FAULT_FLAG_NAMES, 'timeout', 'limit']);

const camel = (key: string) => key.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The fault command a chaosdeck activity stands for, through the commands' own flag checks
 * (the same messages as on the command line), or why it is not one.
 */
export function faultCommandOf(p: ChaosdeckProvider): FaultCommand | { error: string } {
  const flags: Record<string, string | boolean | undefined> = {
    waitRecovery: false,
    forceLast: false,
    random: false,
  };
  for (const [key, value] of Object.entries(p.arguments ?? {})) {
    const name = camel(key);
    if (SWITCHES.has(name)) {
      if (typeof value !== 'boolean') return { error: `arguments.${key}: true or false` };
      flags[name] = value;
    } else if (VALUES.has(name)) flags[name] = String(value);
    else return { error: `arguments.${key}: not an option of chaosdeck ${p.action}` };
  }
  if (p.duration !== undefined) {
    const ms =
      typeof p.duration === 'number' ? p.duration * 1000 : readDuration(p.duration, '10s, 2m');
    if (typeof ms !== 'number') return { error: `duration: ${ms.error}` };
    if (!(ms > 0) || ms > MAX_DURATION_MS)
      return { error: `duration: ${p.duration} s is not between 0 and 30 days` };
    if (traitsOf(p.action).endsTask)
      return { error: `duration: ${p.action} is a moment (Swarm replaces the task), not a window` };
    flags.for = `${ms}ms`;
  }
  // An experiment runs unattended: y/n prompts are answered by the file (force-last for the
  // last replica, which still needs it).
  flags.yes = true;
  const cmd = readFaultCommand(p.action, p.target, flags as never);
  if ('error' in cmd) return { error: cmd.error.replace(/--([a-z-]+)/g, 'arguments.$1') };
  return cmd;
}
