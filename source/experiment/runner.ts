import type { Experiment } from './load.js';
import type { Activity } from './schema.js';
import { checkTolerance, type ProbeOutput } from './tolerance.js';

/** One activity as it ran, in Chaos Toolkit's journal shape. */
export interface ActivityRun {
  activity: Activity;
  output?: unknown;
  start: string;
  end: string;
  /** Seconds. */
  duration: number;
  status: 'succeeded' | 'failed';
  exception?: string;
  /** Hypothesis probes: whether the answer was within the tolerance, and why. */
  tolerance_met?: boolean;
  why?: string;
}

/** A steady-state check: met or not, and each probe's run. */
export interface SteadyState {
  steady_state_met: boolean;
  probes: ActivityRun[];
}

/** How an experiment ended. */
export interface ExperimentRun {
  status: 'completed' | 'failed' | 'interrupted';
  deviated: boolean;
  start: string;
  end: string;
  duration: number;
  steady_states: { before: SteadyState | null; after: SteadyState | null; during: SteadyState[] };
  run: ActivityRun[];
  rollbacks: ActivityRun[];
  /** One sentence for a person. */
  verdict: string;
}

/** What the runner reports as it goes, for a progress view and the journal. */
export type ExperimentEvent =
  | { type: 'phase'; phase: 'before' | 'method' | 'after' | 'rollbacks' | 'undo'; title?: string }
  | { type: 'start'; phase: string; activity: Activity }
  | { type: 'end'; phase: string; run: ActivityRun }
  | { type: 'pause'; seconds: number; activity: Activity; when: 'before' | 'after' }
  | { type: 'sample'; name: string; at: number; ms: number; ok: boolean; error?: string };

/** What running an experiment needs; the entry wires real providers and the run. */
export interface RunnerPorts {
  /** Runs one activity's provider and returns its output; throws with a message on failure. */
  execute(activity: Activity, signal: AbortSignal): Promise<unknown>;
  /** Undoes every fault the run holds (whatever the method applied). */
  undoAll(): Promise<void>;
  /** Sleeps; resolves early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
  emit(event: ExperimentEvent): void;
  /** How often hypothesis probes are sampled while the method runs. */
  sampleIntervalMs: number;
  /** Samples taken before and after the method (a baseline and an "after" for the table). */
  baselineMs?: number;
  /** Plan only: no hypothesis checks, providers report what they would do. */
  dryRun?: boolean;
}

const iso = (t: number) => new Date(t).toISOString();
/** An activity's times, as the journal keeps them. */
const span = (t0: number, t1: number) => ({
  start: iso(t0),
  end: iso(t1),
  duration: (t1 - t0) / 1000,
});

/** Resolves when the promise settles or the signal aborts, whichever is first. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/**
 * Runs a Chaos Toolkit experiment on chaosdeck's core: the hypothesis before (the method does not
 * start when it does not hold), the method with its pauses while the hypothesis probes keep
 * sampling, the hypothesis after, the rollbacks, and then every fault undone — on a deviation,
 * a failure and an interruption (`interrupt` aborted) alike.
 */
export async function runExperiment(
  exp: Experiment,
  ports: RunnerPorts,
  interrupt: AbortSignal,
): Promise<ExperimentRun> {
  const started = ports.now();
  const runs: ActivityRun[] = [];
  const rollbacks: ActivityRun[] = [];
  const inflight = new Set<Promise<unknown>>();
  let before: SteadyState | null = null;
  let after: SteadyState | null = null;
  let verdict = '';
  /** Each hypothesis probe's samples: when, how long. */
  const samples = new Map<string, { at: number; ms: number }[]>();
  let methodSpan: [number, number] = [0, 0];
  /** A probe's latencies while the method ran (what a latency tolerance judges). */
  const during = (name: string) =>
    (samples.get(name) ?? [])
      .filter((x) => x.at >= methodSpan[0] && x.at <= methodSpan[1])
      .map((x) => x.ms);

  /** Runs one activity to its record (never throws). */
  const perform = async (a: Activity, phase: string, signal: AbortSignal, latencies?: number[]) => {
    ports.emit({ type: 'start', phase, activity: a });
    const t0 = ports.now();
    const job = ports.execute(a, signal);
    inflight.add(job);
    job.then(
      () => inflight.delete(job),
      () => inflight.delete(job),
    );
    let run: ActivityRun;
    try {
      const output = await untilAborted(job, signal);
      const t1 = ports.now();
      run = { activity: a, ...span(t0, t1), status: 'succeeded' };
      if (signal.aborted && output === undefined) {
        run.status = 'failed';
        run.exception = 'interrupted';
      } else run.output = output;
      const tolerance = a.tolerance;
      if (
        tolerance !== undefined &&
        typeof tolerance === 'object' &&
        !Array.isArray(tolerance) &&
        tolerance.type === 'probe' &&
        run.status === 'succeeded'
      ) {
        // A probe as the tolerance: met when it runs, as Chaos Toolkit judges a process or
        // http probe there (its answer, whatever it is, counts as a value).
        try {
          await untilAborted(ports.execute(tolerance as unknown as Activity, signal), signal);
          run.tolerance_met = !signal.aborted;
          run.why = `tolerance probe ${tolerance.name} ran`;
        } catch (error) {
          run.tolerance_met = false;
          run.why = `tolerance probe ${tolerance.name} failed: ${(error as Error).message}`;
        }
      } else if (a.tolerance !== undefined && run.status === 'succeeded') {
        const v = checkTolerance(
          a.tolerance,
          output as ProbeOutput,
          latencies?.length ? latencies : [t1 - t0],
        );
        run.tolerance_met = v.ok;
        run.why = v.why;
      }
    } catch (error) {
      const t1 = ports.now();
      run = {
        activity: a,
        ...span(t0, t1),
        status: 'failed',
        exception: (error as Error).message ?? String(error),
        ...(a.tolerance !== undefined
          ? { tolerance_met: false, why: (error as Error).message }
          : {}),
      };
    }
    ports.emit({ type: 'end', phase, run });
    return run;
  };

  const when = exp.hypothesisStrategy?.strategy ?? 'default';
  const checksBefore = ['default', 'before-method-only', 'continuously'].includes(when);
  const checksAfter = ['default', 'after-method-only', 'continuously'].includes(when);
  const checksDuring = when === 'continuously' || when === 'during-method-only';
  const during_: SteadyState[] = [];

  const hypothesis = async (
    phase: 'before' | 'after' | 'during',
    signal: AbortSignal,
  ): Promise<SteadyState | null> => {
    if (!exp.hypothesis || ports.dryRun) return null;
    if (phase !== 'during') ports.emit({ type: 'phase', phase, title: exp.hypothesis.title });
    const probes: ActivityRun[] = [];
    for (const p of exp.hypothesis.probes) {
      if (signal.aborted) break;
      probes.push(await perform(p, phase, signal, phase === 'after' ? during(p.name) : undefined));
    }
    return { steady_state_met: probes.every((r) => r.tolerance_met === true), probes };
  };

  /**
   * The hypothesis checked again and again while the method runs (continuously,
   * during-method-only), every `frequency` seconds; with fail_fast the first miss stops the
   * method (`stopMethod`), which then counts as deviated.
   */
  const checkDuring = async (signal: AbortSignal, stopMethod: () => void) => {
    const { frequencyS = 1, failFast = false } = exp.hypothesisStrategy ?? {};
    while (!signal.aborted) {
      const state = await hypothesis('during', signal);
      if (!state || signal.aborted) return;
      during_.push(state);
      if (!state.steady_state_met && failFast) {
        verdict = 'the system deviated from its steady state during the method (fail_fast)';
        stopMethod();
        return;
      }
      await ports.sleep(frequencyS * 1000, signal);
    }
  };

  /** Samples the hypothesis probes until stopped (their latencies judge latency tolerances). */
  const sampling = (signal: AbortSignal) => {
    const loops = (exp.hypothesis?.probes ?? []).map(async (p) => {
      const list: { at: number; ms: number }[] = [];
      samples.set(p.name, list);
      while (!signal.aborted) {
        const at = ports.now();
        let ok = true;
        let error: string | undefined;
        try {
          await ports.execute(p, signal);
        } catch (e) {
          ok = false;
          error = (e as Error).message;
        }
        if (signal.aborted) break;
        const ms = ports.now() - at;
        list.push({ at, ms });
        ports.emit({ type: 'sample', name: p.name, at, ms, ok, ...(error ? { error } : {}) });
        await ports.sleep(Math.max(0, ports.sampleIntervalMs - ms), signal);
      }
    });
    return loops;
  };

  try {
    before = checksBefore ? await hypothesis('before', interrupt) : null;
    if (before && !before.steady_state_met && !interrupt.aborted) {
      verdict = 'the steady state did not hold before the method: nothing was done';
    } else if (!interrupt.aborted) {
      ports.emit({ type: 'phase', phase: 'method' });
      const stopSampling = new AbortController();
      const loops = ports.dryRun ? [] : sampling(AbortSignal.any([stopSampling.signal, interrupt]));
      // fail_fast stops the method, not the experiment: rollbacks and the undo still run.
      const failedFast = new AbortController();
      const methodSignal = AbortSignal.any([interrupt, failedFast.signal]);
      const checking = checksDuring
        ? checkDuring(AbortSignal.any([stopSampling.signal, methodSignal]), () =>
            failedFast.abort(),
          )
        : Promise.resolve();
      const background: Promise<ActivityRun>[] = [];
      const settle = ports.dryRun || !loops.length ? 0 : (ports.baselineMs ?? 0);
      await ports.sleep(settle, interrupt);
      methodSpan = [ports.now(), Number.POSITIVE_INFINITY];
      for (const a of exp.method) {
        if (methodSignal.aborted) break;
        await pauseFor(a, 'before', ports, methodSignal);
        if (methodSignal.aborted) break;
        if (a.background) background.push(perform(a, 'method', methodSignal));
        else runs.push(await perform(a, 'method', methodSignal));
        await pauseFor(a, 'after', ports, methodSignal);
      }
      runs.push(...(await Promise.all(background)));
      methodSpan = [methodSpan[0], ports.now()];
      await ports.sleep(settle, interrupt);
      stopSampling.abort();
      await Promise.all([...loops, checking]);
      if (!interrupt.aborted && checksAfter && !failedFast.signal.aborted)
        after = await hypothesis('after', interrupt);
    }
  } finally {
    const deviated =
      (after !== null && !after.steady_state_met) || during_.some((d) => !d.steady_state_met);
    const rollbackWanted =
      exp.strategy === 'always' ||
      exp.strategy === 'default' ||
      (exp.strategy === 'deviated' && deviated);
    const methodRan = runs.length > 0 || interrupt.aborted;
    // Rollbacks are not cut short by the interruption that led to them.
    const calm = new AbortController().signal;
    if (rollbackWanted && methodRan && exp.rollbacks.length) {
      ports.emit({ type: 'phase', phase: 'rollbacks' });
      for (const a of exp.rollbacks) rollbacks.push(await perform(a, 'rollbacks', calm));
    }
    ports.emit({ type: 'phase', phase: 'undo' });
    await ports.undoAll();
    // An action interrupted mid-way may still apply its fault: wait for it, then undo again.
    if (inflight.size) {
      await Promise.race([Promise.allSettled([...inflight]), ports.sleep(30_000, calm)]);
      await ports.undoAll();
    }
  }
  const deviated =
    (after !== null && !after.steady_state_met) || during_.some((d) => !d.steady_state_met);
  const failedAction = runs.find((r) => r.activity.type === 'action' && r.status === 'failed');
  const status: ExperimentRun['status'] = interrupt.aborted
    ? 'interrupted'
    : (before && !before.steady_state_met) || failedAction
      ? 'failed'
      : 'completed';
  if (!verdict)
    verdict = interrupt.aborted
      ? 'interrupted: rollbacks ran and every fault was undone'
      : failedAction
        ? `action ${failedAction.activity.name} failed: ${failedAction.exception}`
        : ports.dryRun
          ? 'dry run: the plan above, nothing changed'
          : deviated
            ? 'the system deviated from its steady state'
            : after
              ? 'the steady state held'
              : 'the method ran (no steady-state hypothesis to check)';
  const end = ports.now();
  return {
    status,
    deviated,
    start: iso(started),
    end: iso(end),
    duration: (end - started) / 1000,
    steady_states: { before, after, during: during_ },
    run: runs,
    rollbacks,
    verdict,
  };
}

async function pauseFor(
  a: Activity,
  when: 'before' | 'after',
  ports: RunnerPorts,
  signal: AbortSignal,
) {
  const seconds = a.pauses?.[when];
  if (!seconds) return;
  ports.emit({ type: 'pause', seconds, activity: a, when });
  await ports.sleep(seconds * 1000, signal);
}

/** The exit code of a run: 0 held, 1 deviated or failed, 3 interrupted (after rollbacks). */
export function exitCodeOf(run: ExperimentRun): number {
  if (run.status === 'interrupted') return 3;
  return run.status === 'completed' && !run.deviated ? 0 : 1;
}
