import { experimentRuns, type ExperimentRunRecord } from './experiment-section.js';
import type { FaultKind } from '../domain/fault.js';
import {
  latencyTable,
  momentEnd,
  tagSample,
  type FaultWindow,
  type LatencySample,
  type Phase,
} from '../domain/latency.js';
import type { RecoveryEpisode } from '../domain/recovery.js';
import type { JournalEvent, JournalTarget } from './journal-events.js';
import { traitsOf } from '../faults/registry.js';

type Of<T extends JournalEvent['type']> = Extract<JournalEvent, { type: T }>;

/** One experiment: a fault and what followed it, until the next fault on the same service. */
export interface Experiment {
  number: number;
  id: string;
  kind: FaultKind;
  target: JournalTarget;
  who: string;
  description: string;
  params: Record<string, string | number>;
  previous?: unknown;
  dryRun: boolean;
  applied: number;
  /** When the fault was undone (or ended); undefined when the journal never says. */
  undone?: Of<'fault-undone'>;
  /** Where its window of observations ends. */
  until: number;
  tasks: Of<'task'>[];
  recoveries: RecoveryEpisode[];
  ooms: Of<'oom'>[];
  health: Of<'health'>[];
  /** Samples from the previous experiment's end to the next one's start, tagged against this window. */
  samples: (LatencySample & { phase: Phase; source: 'probe' | 'lap' })[];
  window: FaultWindow;
}

/** A whole game day read back from its journal. */
export interface GameDayModel {
  start: number;
  end: number;
  runStarts: Of<'session-start'>[];
  ends: Of<'session-end'>[];
  experiments: Experiment[];
  refusals: Of<'refused'>[];
  failures: Of<'fault-failed'>[];
  notes: Of<'note'>[];
  /** Scales and restarts of whole services. */
  serviceActions: Of<'service-action'>[];
  /** Nodes lost to a partition and back, with what Swarm did. */
  nodeRecoveries: Of<'node-recovery'>[];
  /** Each time chaosdeck followed the swarm through another manager, and back. */
  managerSwitches: Of<'manager'>[];
  /** `chaosdeck run` experiments: hypothesis, activities, verdict. */
  runs: ExperimentRunRecord[];
  /** Samples outside any experiment's reach (a run without faults). */
  samples: (LatencySample & { source: 'probe' | 'lap' })[];
  /** Recoveries no fault of the day explains (a kill from elsewhere, an OOM under load). */
  unplanned: RecoveryEpisode[];
}

const SETTLE_MS = 60_000;

/** The last recovery line of each episode, by episode id. */
function latestEpisodes(events: JournalEvent[]): RecoveryEpisode[] {
  const byId = new Map<string, RecoveryEpisode>();
  for (const e of events) if (e.type === 'recovery') byId.set(e.episode.id, e.episode);
  return [...byId.values()];
}

/** One line per task state (two runs on one journal both see the same change). */
function dedupeTasks(list: Of<'task'>[]): Of<'task'>[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.task}/${e.state}/${e.desired}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Groups a journal into experiments: the shape of a seed write-up, before anyone writes prose. */
export function gameDayModel(events: JournalEvent[]): GameDayModel {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const starts = sorted.filter((e): e is Of<'session-start'> => e.type === 'session-start');
  const who = (session: string) => starts.find((s) => s.session === session)?.who ?? '?';
  const applied = sorted.filter((e): e is Of<'fault-applied'> => e.type === 'fault-applied');
  const undone = sorted.filter((e): e is Of<'fault-undone'> => e.type === 'fault-undone');
  const episodes = latestEpisodes(sorted);
  const samples = sorted
    .filter((e): e is Of<'sample'> => e.type === 'sample')
    .map((e) => ({ ...e.sample, source: e.source }));
  const end = sorted.at(-1)?.t ?? 0;

  const experiments = applied.map((a, i): Experiment => {
    const next = applied.slice(i + 1).find((b) => b.target.service === a.target.service);
    const u = undone.find((x) => x.id === a.id);
    const horizon = Math.min(next?.t ?? Infinity, Math.max(end, a.t));
    const recoveries = episodes.filter(
      (r) =>
        r.serviceName === a.target.service && r.failedAt >= a.t - 1000 && r.failedAt <= horizon,
    );
    // A kill or stop lasts until Swarm has healed the service: users feel the whole recovery.
    const moment = traitsOf(a.kind).endsTask;
    const windowEnd = u?.t ?? (moment ? momentEnd(a.t, recoveries, horizon) : undefined);
    const until = Math.min(horizon, Math.max(windowEnd ?? end, a.t) + SETTLE_MS);
    const inService = <T extends { service: string; t: number }>(list: T[]) =>
      list.filter((x) => x.service === a.target.service && x.t >= a.t - 1000 && x.t <= until);
    const window: FaultWindow = {
      id: a.id,
      label: a.description,
      start: a.t,
      ...(windowEnd !== undefined ? { end: windowEnd } : {}),
    };
    return {
      number: i + 1,
      id: a.id,
      kind: a.kind,
      target: a.target,
      who: who(a.session),
      description: a.description,
      params: a.params,
      ...(a.previous !== undefined ? { previous: a.previous } : {}),
      dryRun: a.dryRun === true,
      applied: a.t,
      ...(u ? { undone: u } : {}),
      until,
      tasks: dedupeTasks(
        inService(sorted.filter((e): e is Of<'task'> => e.type === 'task')).filter(
          // Swarm's own time decides: a task that reached its state before the fault is context.
          (e) => e.at >= a.t - 1000,
        ),
      ),
      recoveries,
      ooms: inService(sorted.filter((e): e is Of<'oom'> => e.type === 'oom')),
      health: inService(sorted.filter((e): e is Of<'health'> => e.type === 'health')),
      samples: [],
      window,
    };
  });
  // Samples from the end of the last experiment over before this one began to the start of the
  // first one that begins after it is over: experiments that overlap (a pause of every replica,
  // applied together) each see the samples of their shared window, tagged against their own.
  for (const x of experiments) {
    const over = (y: Experiment) => y.window.end ?? end;
    const from = Math.max(
      -Infinity,
      ...experiments.filter((y) => y !== x && over(y) <= x.window.start).map(over),
    );
    const to = Math.min(
      Infinity,
      ...experiments.filter((y) => y !== x && y.window.start >= over(x)).map((y) => y.window.start),
    );
    x.samples = samples
      .filter((s) => s.at >= from && s.at < to)
      .map((s) => ({ ...s, phase: tagSample(s.at, [x.window], end) }));
  }
  return {
    start: sorted[0]?.t ?? 0,
    end,
    runStarts: starts,
    ends: sorted.filter((e): e is Of<'session-end'> => e.type === 'session-end'),
    experiments,
    refusals: sorted.filter((e): e is Of<'refused'> => e.type === 'refused'),
    failures: sorted.filter((e): e is Of<'fault-failed'> => e.type === 'fault-failed'),
    notes: sorted.filter((e): e is Of<'note'> => e.type === 'note'),
    serviceActions: sorted.filter((e): e is Of<'service-action'> => e.type === 'service-action'),
    nodeRecoveries: sorted.filter((e): e is Of<'node-recovery'> => e.type === 'node-recovery'),
    managerSwitches: sorted.filter((e): e is Of<'manager'> => e.type === 'manager'),
    runs: experimentRuns(sorted),
    samples,
    unplanned: episodes.filter((e) => !experiments.some((x) => x.recoveries.includes(e))),
  };
}

/** How an experiment ended for its service: recovered, not recovered, or nothing to recover. */
export type Verdict = 'recovered' | 'not recovered' | 'no task lost' | 'dry run';

/** The verdict of one experiment. */
export function verdictOf(x: Experiment): Verdict {
  if (x.dryRun) return 'dry run';
  if (x.recoveries.length === 0) return 'no task lost';
  return x.recoveries.every((r) => r.convergedAt !== undefined && r.retries === 0)
    ? 'recovered'
    : 'not recovered';
}

/** The slowest recovery of an experiment (failure to converged), if any converged. */
export function recoveryTime(x: Experiment): number | undefined {
  const done = x.recoveries.filter((r) => r.convergedAt !== undefined);
  if (done.length === 0) return undefined;
  return Math.max(...done.map((r) => r.convergedAt! - r.failedAt));
}

/** The worst sample during an experiment's window (slowest, or an error). */
export function worstLatency(x: Experiment): { ms: number; name: string; ok: boolean } | undefined {
  const during = x.samples.filter((s) => s.phase === 'during');
  if (during.length === 0) return undefined;
  const failed = during.find((s) => !s.ok);
  if (failed) return { ms: failed.ms, name: failed.name, ok: false };
  const worst = during.reduce((a, b) => (b.ms > a.ms ? b : a));
  return { ms: worst.ms, name: worst.name, ok: true };
}

/** The before / during / after rows of an experiment. */
export function experimentLatency(x: Experiment) {
  return latencyTable(x.samples, [x.window]);
}
