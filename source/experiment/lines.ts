import type { ChaosdeckOutput } from './execute.js';
import type { ActivityRun, ExperimentEvent, ExperimentRun } from './runner.js';
import type { Activity } from './schema.js';

const label = (a: Activity) => `${a.type === 'probe' ? 'Probe' : 'Action'}: ${a.name}`;

function resultText(run: ActivityRun): string {
  const o = run.output as Record<string, unknown> | undefined;
  if (o && typeof o.plan === 'string') return o.plan;
  if (o && typeof o.status === 'number')
    return 'stdout' in o ? `exit ${o.status}` : `HTTP ${o.status}`;
  return 'done';
}

/** What an activity's end looks like: a mark, its name, its result or why it failed. */
export function activityLine(run: ActivityRun): string[] {
  const secs = `${run.duration.toFixed(2)} s`;
  if (run.tolerance_met !== undefined)
    return [
      `${run.tolerance_met ? '✓' : '✗'} ${label(run.activity)} — ${run.tolerance_met ? 'within tolerance' : 'OUTSIDE tolerance'}: ${run.why ?? run.exception} (${secs})`,
    ];
  if (run.status === 'failed')
    return [`✗ ${label(run.activity)} — failed: ${run.exception} (${secs})`];
  const lines = (run.output as ChaosdeckOutput | undefined)?.lines;
  return [
    `✓ ${label(run.activity)} — ${Array.isArray(lines) ? 'done' : resultText(run)} (${secs})`,
    ...(Array.isArray(lines) ? lines.map((l) => `    ${l}`) : []),
  ];
}

/** The lines a progress view prints for an event (none for samples: the table sums them up). */
export function eventLines(e: ExperimentEvent): string[] {
  switch (e.type) {
    case 'phase':
      return e.phase === 'before'
        ? [`Steady-state hypothesis (before): ${e.title}`]
        : e.phase === 'after'
          ? [`Steady-state hypothesis (after): ${e.title}`]
          : e.phase === 'method'
            ? ['Method']
            : e.phase === 'rollbacks'
              ? ['Rollbacks']
              : [];
    case 'start':
      return [];
    case 'end':
      return activityLine(e.run).map((l) => `  ${l}`);
    case 'pause':
      return [`  … pausing ${e.when} ${e.activity.name} for ${e.seconds}s`];
    case 'sample':
      return [];
  }
}

/** What a spinner shows while an activity runs. */
export function runningLine(a: Activity): string {
  return `${label(a)} …`;
}

/** The verdict, last: what a person reads first. */
export function verdictLines(run: ExperimentRun): string[] {
  const mark = run.status === 'completed' && !run.deviated ? '✓' : '✗';
  return [
    `${mark} ${run.verdict} (status ${run.status}, deviated ${run.deviated}, ${run.duration.toFixed(1)} s)`,
  ];
}
