import { hostname, platform, release } from 'node:os';
import type { Experiment } from './load.js';
import type { ExperimentRun } from './runner.js';

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
  return {
    'chaoslib-version': null,
    platform: `${platform()} ${release()}`,
    node: hostname(),
    experiment: exp.source,
    start: run.start,
    end: run.end,
    duration: run.duration,
    status: run.status,
    deviated: run.deviated,
    steady_states: run.steady_states,
    run: run.run,
    rollbacks: run.rollbacks,
    chaosdeck: { verdict: run.verdict, ...extra },
  };
}
