import { latencyTable } from '../domain/latency.js';
import {
  applyFault,
  EXIT,
  type FaultCommand,
  type FaultRunDeps,
  type RunResult,
} from '../fault-run/apply-fault.js';
import { pause } from '../fault-run/wait-recovery.js';
import { phaseCell } from '../format/latency-lines.js';
import { startProbes, type Probe } from '../live/probe-runner.js';

/** What the command needs: the fault run's, and the probes that time the action meanwhile. */
export interface CommandDeps extends FaultRunDeps {
  probes: Probe[];
  probeIntervalMs: number;
}

/**
 * Runs `chaosdeck KIND TARGET ...` on the game day: the same
 * guards, checks, ledger and journal as the console's keys. Returns the exit code and the results.
 */
export async function runFaultCommand(
  cmd: FaultCommand,
  deps: CommandDeps,
): Promise<{ code: number; runs: RunResult[]; latency: Record<string, unknown>[] }> {
  const { gameDay, say } = deps;
  const runs: RunResult[] = [];
  let code: number = EXIT.ok;
  const stopProbes = deps.probes.length
    ? startProbes(deps.probes, deps.probeIntervalMs, (s) => gameDay.recordSample(s, 'probe'))
    : undefined;
  try {
    // A baseline for "before": a few samples while nothing is wrong yet.
    if (stopProbes) await pause(Math.max(3000, deps.probeIntervalMs * 3));
    code = await applyFault(cmd, deps, runs);
    // An "after" to compare with: the same few samples once it is over.
    if (stopProbes) await pause(Math.max(3000, deps.probeIntervalMs * 3));
  } finally {
    stopProbes?.();
  }
  const rows = latencyTable(gameDay.recordedSamples(), gameDay.faultWindows());
  for (const r of rows)
    say(
      `latency ${r.name}: before ${phaseCell(r.before)} · during ${phaseCell(r.during)} · after ${phaseCell(r.after)} (p50/p95/max)`,
    );
  return { code, runs, latency: rows as unknown as Record<string, unknown>[] };
}
