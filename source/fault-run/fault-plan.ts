import { faultParams, type FaultFlags } from '../faults/params.js';
import { readDuration } from '../format/user-input.js';
import type { FaultKind } from '../domain/fault.js';
import type { FaultCommand } from './apply-fault.js';
import { faultModule, traitsOf } from '../faults/registry.js';

/** The parsed flags a fault command reads: its own fault's options and how to run it. */
export interface FaultCommandFlags extends FaultFlags {
  for?: string;
  waitRecovery: boolean;
  timeout?: string;
  every?: string;
  times?: string;
  forceLast: boolean;
  random: boolean;
  limit?: string;
  yes: boolean;
}

function duration(flag: string, text: string | undefined): number | undefined | Error {
  if (text === undefined) return undefined;
  const ms = readDuration(text, '5s, 2m, 1500ms');
  return typeof ms === 'number' ? ms : new Error(`--${flag}: ${ms.error}`);
}

/** The shortest --every: a fault more often than once a second is a loop, not a game day. */
const MIN_EVERY_MS = 1000;

function count(flag: string, text: string | undefined): number | undefined | Error {
  if (text === undefined) return undefined;
  return /^[1-9]\d{0,5}$/.test(text)
    ? Number(text)
    : new Error(`--${flag}: "${text}" is not a whole number from 1`);
}

/** Reads a fault subcommand's flags; an error message is a usage error (exit 2). */
export function readFaultCommand(
  kind: string,
  target: string,
  flags: FaultCommandFlags,
): FaultCommand | { error: string } {
  const k = kind as FaultKind;
  const params = faultParams(k, flags);
  if ('error' in params) return params;
  const module = faultModule(k);
  // A kind with no "until undone" (partition) takes its window's default without --for.
  const windowDefault = module.fields.find((f) => f.name === 'duration')?.default;
  const forMs = duration(
    'for',
    flags.for ?? (module.traits.windowRequired ? windowDefault : undefined),
  );
  if (flags.forceQuorumLoss !== undefined && !flags.yes)
    return { error: '--force-quorum-loss goes with --yes: losing quorum is never a default' };
  const timeoutMs = duration('timeout', flags.timeout);
  const everyMs = duration('every', flags.every);
  const times = count('times', flags.times);
  const limit = count('limit', flags.limit);
  for (const v of [forMs, timeoutMs, everyMs, times, limit])
    if (v instanceof Error) return { error: v.message };
  // A kind with a longest window (partition's --max-window): a longer --for is a usage error,
  // said before anything is asked of the swarm.
  const maxText = params.params.maxWindow;
  const maxMs = duration('max-window', maxText);
  if (maxMs instanceof Error) return { error: maxMs.message };
  if (typeof forMs === 'number' && typeof maxMs === 'number' && forMs > maxMs)
    return {
      error: `--for ${flags.for ?? windowDefault}: longer than the longest ${k} allowed (${maxText}); --max-window raises it`,
    };
  if (forMs !== undefined && traitsOf(k).endsTask)
    return { error: `--for holds a fault; ${k} is a moment (Swarm replaces the task)` };
  if (timeoutMs !== undefined && !flags.waitRecovery)
    return { error: '--timeout bounds --wait-recovery; give both, or neither' };
  if ((times !== undefined) !== (everyMs !== undefined))
    return { error: '--every D and --times N go together' };
  if (typeof everyMs === 'number' && everyMs < MIN_EVERY_MS)
    return { error: `--every: at least 1s between faults (got ${flags.every})` };
  return {
    kind: k,
    target,
    params: params.params,
    ...(forMs !== undefined ? { forMs: forMs as number } : {}),
    waitRecovery: flags.waitRecovery,
    timeoutMs: (timeoutMs as number | undefined) ?? 120_000,
    yes: flags.yes,
    forceLast: flags.forceLast,
    choice: { random: flags.random, ...(limit !== undefined ? { limit: limit as number } : {}) },
    ...(everyMs !== undefined ? { everyMs: everyMs as number } : {}),
    times: (times as number | undefined) ?? 1,
  };
}
