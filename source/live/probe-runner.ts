import type { LatencySample } from '../domain/latency.js';

/** A named check that resolves when the action worked and rejects when it failed. */
export interface Probe {
  name: string;
  run: () => Promise<void>;
}

/**
 * Runs every probe each `intervalMs`, never two of the same probe at once: a request that hangs
 * (a paused container) is one long sample, as a user would experience it. Returns the stop function.
 */
export function startProbes(
  probes: Probe[],
  intervalMs: number,
  onSample: (sample: LatencySample) => void,
): () => void {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const loop = (probe: Probe) => {
    if (stopped) return;
    const at = Date.now();
    const started = performance.now();
    const finish = (error?: unknown) => {
      if (stopped) return;
      const ms = performance.now() - started;
      onSample({
        name: probe.name,
        at,
        ms,
        ok: !error,
        ...(error ? { error: (error as Error).message ?? String(error) } : {}),
      });
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          loop(probe);
        },
        Math.max(0, intervalMs - ms),
      );
      timers.add(timer);
    };
    probe.run().then(() => finish(), finish);
  };
  for (const probe of probes) loop(probe);
  return () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
  };
}
