import { hostname, platform, release } from 'node:os';
import type { Experiment } from './load.js';
import type { ActivityRun, ExperimentRun } from './runner.js';
import { writtenLists } from './written-lists.js';

/** Each activity of the written file by name (before substitution). */
function writtenActivities(written: unknown): Map<string, unknown> {
  const byName = new Map<string, unknown>();
  for (const [, list] of writtenLists(written))
    for (const a of list) {
      const name = (a as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && !byName.has(name)) byName.set(name, a);
    }
  return byName;
}

/**
 * The run as a Chaos Toolkit journal (chaoslib's keys: experiment, start, end, duration, status,
 * deviated, steady_states, run, rollbacks), so `chaos report` readers and scripts recognise it;
 * chaosdeck's own figures go under `chaosdeck`.
 */
export function ctkJournal(
  exp: Experiment,
  run: ExperimentRun,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  // Activities as written, not substituted: a secret from the environment stays `${name}`.
  const written = writtenActivities(exp.written);
  const asWritten = (r: ActivityRun) => ({
    ...r,
    activity: written.get(r.activity.name) ?? r.activity,
  });
  const state = (s: { probes: ActivityRun[] } | null) =>
    s ? { ...s, probes: s.probes.map(asWritten) } : s;
  return {
    'chaoslib-version': null,
    platform: `${platform()} ${release()}`,
    node: hostname(),
    experiment: exp.written,
    start: run.start,
    end: run.end,
    duration: run.duration,
    status: run.status,
    deviated: run.deviated,
    steady_states: {
      before: state(run.steady_states.before),
      after: state(run.steady_states.after),
      during: run.steady_states.during.map(state),
    },
    run: run.run.map(asWritten),
    rollbacks: run.rollbacks.map(asWritten),
    chaosdeck: { verdict: run.verdict, ...extra },
  };
}
