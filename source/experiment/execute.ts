import { applyFault, type RunResult } from '../fault-run/apply-fault.js';
import type { SwarmPort } from '../docker/port.js';
import { httpRequest, runProcess } from '../probes/providers.js';
import type { GameDay } from '../game-day/game-day.js';
import { faultCommandOf } from './load.js';
import { processArgv } from './process-args.js';
import type { Activity } from './schema.js';

/** What the providers need: the game day for chaosdeck's actions, timeouts for the rest. */
export interface ExecuteDeps {
  gameDay: GameDay;
  swarm: SwarmPort;
  /** Default timeout of process and http providers without their own. */
  timeoutMs: number;
  dryRun: boolean;
}

/** What a chaosdeck action reports: the lines the command would print, and its runs. */
export interface ChaosdeckOutput {
  lines: string[];
  runs: RunResult[];
}

/**
 * Runs activities' providers: a process, an HTTP call, or chaosdeck's own fault through the same
 * path as `chaosdeck kill|pause|…` (guards, ledger, journal, the window's timer). Under a dry run
 * the process and http providers are described, not run, and the faults are planned only.
 */
export function activityExecutor(deps: ExecuteDeps) {
  return async (a: Activity, signal: AbortSignal): Promise<unknown> => {
    const p = a.provider;
    // The provider's own bound (http: [connect, read], the longer), else the activity's.
    const own = p.type === 'chaosdeck' ? undefined : p.timeout;
    const seconds = Array.isArray(own) ? Math.max(...own) : (own ?? a.timeout);
    const timeoutMs = seconds === undefined ? deps.timeoutMs : seconds * 1000;
    if (p.type === 'process') {
      const argv = processArgv(p.arguments);
      if (deps.dryRun) return { plan: `would run ${[p.path, ...[argv].flat()].join(' ')}` };
      return runProcess(p.path, argv, timeoutMs, signal);
    }
    if (p.type === 'http') {
      const method = p.method ?? 'GET';
      if (deps.dryRun) return { plan: `would ${method} ${p.url}` };
      const call = {
        url: p.url,
        method,
        headers: p.headers ?? {},
        body: p.arguments,
        timeoutMs,
        ...(p.verify_tls === false ? { verifyTls: false } : {}),
      };
      // max_retries: a call that fails to connect or answer is tried again (requests' Retry).
      let out: Awaited<ReturnType<typeof httpRequest>> | undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          out = await httpRequest(call, signal);
          break;
        } catch (error) {
          if (attempt >= (p.max_retries ?? 0) || signal.aborted) throw error;
        }
      }
      if (p.expected_status !== undefined && out.status !== p.expected_status)
        throw new Error(`HTTP ${out.status}, expected ${p.expected_status}`);
      return out;
    }
    const cmd = faultCommandOf(p);
    // Checked when the file was loaded; a second look costs nothing.
    if ('error' in cmd) throw new Error(cmd.error);
    const lines: string[] = [];
    const problems: string[] = [];
    const runs: RunResult[] = [];
    const code = await applyFault(
      cmd,
      {
        gameDay: deps.gameDay,
        swarm: deps.swarm,
        // A fault the command would leave active is the experiment's until it ends.
        say: (l) =>
          lines.push(
            l.startsWith('still active:') ? 'held until the experiment ends, then undone' : l,
          ),
        warn: (l) => (lines.push(l), problems.push(l)),
      },
      runs,
    );
    if (code !== 0) throw new Error(problems.join('; ') || `chaosdeck ${p.action} exited ${code}`);
    return { lines, runs } satisfies ChaosdeckOutput;
  };
}
