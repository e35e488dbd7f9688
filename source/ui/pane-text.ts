import { nodeRecoveryLines } from '../format/node-recovery-lines.js';
import stringWidth from 'string-width';
import { formatSeconds } from '../domain/duration.js';
import type { FaultWindow } from '../domain/latency.js';
import type { Task } from '../domain/types.js';
import { healthLines, type HealthLine } from '../format/health-lines.js';
import { latencyLines, latencyNeed } from '../format/latency-lines.js';
import { recoveryLines, type TimerLine } from '../format/recovery-lines.js';
import { causeText } from '../format/task-cause.js';
import type { DeckState } from '../store/deck-store.js';
import { memoOn } from '../store/memo.js';
import { selectedTaskRow, taskCauseText } from '../store/selectors.js';
import { traitsOf } from '../faults/registry.js';

// Wide enough that nothing is cut: the natural width of a pane's text.
const UNBOUNDED = 10_000;

/**
 * The health pane's lines for the selected task's container, cut to `width` cells; for a task that
 * ended, first why (Swarm's errors are longer than the tasks pane's column).
 */
export function healthPaneLines(s: DeckState, width: number, max: number): HealthLine[] {
  const task = selectedTaskRow(s)?.task;
  if (!task) return [{ text: 'no task selected', tone: 'dim' }];
  const why = task.state === 'running' ? undefined : (taskCauseText(s, task) ?? task.error);
  const container = containerLines(s, task, width, why ? max - 1 : max);
  return why
    ? [
        {
          text: why.startsWith(task.state) ? why : `${task.state}: ${why}`,
          tone: 'bad',
          wrap: true,
        },
        ...container,
      ]
    : container;
}

function containerLines(s: DeckState, task: Task, width: number, max: number): HealthLine[] {
  const containerId = task.containerId;
  if (!containerId) return [{ text: `no container yet (task ${task.state})`, tone: 'dim' }];
  const view = s.health[containerId];
  if (!view) return [{ text: 'inspecting…', tone: 'dim' }];
  switch (view.kind) {
    case 'ok': {
      const pause = s.faults.find(
        (f) => traitsOf(f.kind).freezes && f.target.containerId === containerId,
      );
      return healthLines(view.health, s.now, width, max, pause?.appliedAt);
    }
    case 'remote':
      return [
        {
          text: `runs on node ${view.nodeName}; not reachable from here (give --node ${view.nodeName}=URL, or start with --helpers)`,
          tone: 'dim',
          wrap: true,
        },
      ];
    case 'gone':
      return [{ text: 'container is gone (removed by Swarm)', tone: 'dim' }];
    case 'error':
      return [{ text: view.message, tone: 'bad', wrap: true }];
  }
}

function stopwatchLines(s: DeckState): TimerLine[] {
  const { stopwatch, now } = s;
  if (stopwatch.lapStart === undefined) return [];
  const took = formatSeconds(Math.max(0, now - stopwatch.lapStart));
  return [{ text: `timing "${stopwatch.action}": ${took} (space stops)`, tone: 'warn' }];
}

// A recovery is a fault too (a crash, an OOM kill, a kill from elsewhere): tag samples by it.
function taggedWindows(s: DeckState): FaultWindow[] {
  return [
    ...s.windows,
    ...s.recoveries.map((r) => ({
      id: r.id,
      label: `recovery ${r.serviceName}`,
      start: r.failedAt,
      ...(r.convergedAt ? { end: r.convergedAt } : {}),
    })),
  ];
}

function recoveryPart(s: DeckState): TimerLine[] {
  // The failed task's cause from the facts as they are now, else (a task Swarm no longer lists)
  // the cause the episode was given when it was last told.
  return recoveryLines(
    s.recoveries,
    s.now,
    (e) =>
      taskCauseText(
        s,
        s.tasks.find((t) => t.id === e.failedTaskId),
      ) ?? (e.cause ? causeText(e.cause) : undefined),
  );
}

// Progress lines of an experiment the pane shows: the latest, under its title.
const EXPERIMENT_LINES = 6;

/** The experiment run from the console (`R`): its title and state, its latest steps. */
export function experimentPart(s: Pick<DeckState, 'experiment'>): TimerLine[] {
  const x = s.experiment;
  if (!x) return [];
  // The state first: a long title wraps, the verdict must not.
  const head: TimerLine = x.running
    ? { text: `Experiment running (! halts it): ${x.title}`, tone: 'warn' }
    : {
        text: `Experiment ${x.ok ? '✓' : '✗'} ${x.verdict ?? ''}: ${x.title}`,
        tone: x.ok ? 'good' : 'warn',
      };
  const steps = x.lines
    .slice(x.running ? -EXPERIMENT_LINES : -Math.min(3, EXPERIMENT_LINES))
    .map((text) => ({ text: `  ${text.trim()}`, tone: 'dim' as const }));
  return [head, ...steps];
}

/**
 * The timers pane's lines: the experiment (`R`), the running stopwatch, the latency table (fitted to `width`), the
 * recoveries (not cut: the pane wraps them).
 */
export function timerPaneLines(s: DeckState, width: number): TimerLine[] {
  const table = latencyLines(s.samples, taggedWindows(s), s.now, width).map((text) => ({
    text,
    tone: 'normal' as const,
  }));
  return [...experimentPart(s), ...nodePart(s), ...stopwatchLines(s), ...table, ...recoveryPart(s)];
}

/** The latest partition's node: down, its replicas moved, back (a line per phase). */
function nodePart(s: Pick<DeckState, 'nodeRecovery'>): TimerLine[] {
  const r = s.nodeRecovery;
  if (!r) return [];
  return nodeRecoveryLines(r).map((text, i) => ({
    text,
    tone: i > 0 ? 'dim' : r.readyAt === undefined ? 'warn' : 'good',
  }));
}

const widest = (texts: string[]) => Math.max(0, ...texts.map((t) => stringWidth(t)));

// The App asks for the panes' widths, and each pane for its lines, on every store update (a
// poll, a CPU sample), and most of those change neither pane's text: memoOn works them out again
// only when what they read changed.

/** What healthPaneLines reads: the selected task, its container's health, pauses, the clock, facts. */
export const healthInputs = (s: DeckState): unknown[] => [
  selectedTaskRow(s)?.task,
  s.health,
  s.faults,
  s.now,
  s.facts,
];

/** What timerPaneLines reads. */
export const timerInputs = (s: DeckState): unknown[] => [
  s.nodeRecovery,
  s.samples,
  s.recoveries,
  s.stopwatch,
  s.experiment,
  s.now,
  s.windows,
  s.tasks,
  s.facts,
];

/** Cells the health pane's text needs (its two-cell indent included). */
export const healthNeed = memoOn(
  healthInputs,
  (s: DeckState) => 2 + widest(healthPaneLines(s, UNBOUNDED, 4).map((l) => l.text)),
);

/** Cells the timers pane's text needs uncut (0 while it has nothing to show). */
export const timersNeed = memoOn(timerInputs, timersNeedNow);

function timersNeedNow(s: DeckState): number {
  if (
    s.samples.length === 0 &&
    s.recoveries.length === 0 &&
    s.stopwatch.lapStart === undefined &&
    !s.experiment
  )
    return 0;
  // An experiment's steps wrap in the pane; only its title line asks for width.
  const texts = [...experimentPart(s).slice(0, 1), ...stopwatchLines(s), ...recoveryPart(s)].map(
    (l) => l.text,
  );
  return 2 + Math.max(widest(texts), latencyNeed(s.samples, taggedWindows(s), s.now));
}
