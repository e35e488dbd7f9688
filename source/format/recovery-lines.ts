import { formatSeconds } from '../domain/duration.js';
import {
  episodeSlot,
  outageStart,
  phasesOf,
  recoveryStats,
  type RecoveryEpisode,
} from '../domain/recovery.js';
import type { TaskCause } from '../domain/task-cause.js';
import { causeText } from './task-cause.js';

/** A line of the timers pane with its tone. */
export interface TimerLine {
  text: string;
  tone: 'warn' | 'normal' | 'dim' | 'good';
}

/** A phase's time from the outage's start: "+5.6s", "-1.4s" (before the end was recorded), "…". */
function plus(ms: number | undefined): string {
  if (ms === undefined) return '…';
  return ms < 0 ? `-${formatSeconds(-ms)}` : `+${formatSeconds(ms)}`;
}

/**
 * "created +0.0s · running +5.6s · converged +5.6s"; with a healthcheck, in the order it happens
 * on Swarm (running only once healthy): "created +0.0s · started +0.6s · healthy +3.6s · running
 * +3.6s · converged +3.6s" ("…" for a phase not reached).
 */
export function phaseLine(e: RecoveryEpisode): string {
  const p = phasesOf(e);
  // A finished recovery whose container start was never read (its node out of reach, an older
  // journal) leaves it out rather than show it pending.
  const started = p.started !== undefined || p.converged === undefined;
  const parts = e.hasHealthcheck
    ? [
        `created ${plus(p.created)}`,
        ...(started ? [`started ${plus(p.started)}`] : []),
        `healthy ${plus(p.healthy)}`,
        `running ${plus(p.running)}`,
      ]
    : [`created ${plus(p.created)}`, `running ${plus(p.running)}`];
  parts.push(`converged ${plus(p.converged)}`);
  return parts.join(' · ');
}

/** A command's recovery line: "recovery app_api.1: created +0.1s · … (OOM killed)". */
export function recoveryLine(e: RecoveryEpisode, cause: TaskCause | undefined = e.cause): string {
  return `recovery ${episodeSlot(e)}: ${phaseLine(e)}${cause ? ` (${causeText(cause)})` : ''}`;
}

/**
 * For a health failure, the outage before Swarm's kill: "first failing probe → unhealthy +9.1s
 * → killed +9.2s"; undefined for other failures.
 */
export function healthFailureLine(e: RecoveryEpisode): string | undefined {
  if (e.firstFailingProbeAt === undefined) return undefined;
  const p = phasesOf(e);
  return `first failing probe → unhealthy ${plus(p.unhealthy)} → killed ${plus(p.killed)}`;
}

/**
 * "lab_web.1 recovering 3.2s (failed, exit 137)" or "lab_web.1 recovered in 7.6s (failed, exit
 * 137)", timed from where the outage began (the first failing probe of a health failure).
 */
export function episodeHeading(e: RecoveryEpisode, now: number, why?: string): string {
  const ended = why ?? `${e.failedState}${e.exitCode !== undefined ? `, exit ${e.exitCode}` : ''}`;
  const cause = `${ended}${e.retries ? `, ${e.retries} retries` : ''}`;
  const start = outageStart(e);
  // A replacement running before the old task's end was recorded (a global task on a node back
  // from a cut: the node reports the old one's end after it started the new one) left no gap.
  const state =
    e.convergedAt === undefined
      ? `recovering ${formatSeconds(Math.max(0, now - start))}`
      : e.convergedAt < start
        ? `replaced with no gap (running ${formatSeconds(start - e.convergedAt)} before the end was recorded)`
        : `recovered in ${formatSeconds(e.convergedAt - start)}`;
  return `${episodeSlot(e)} ${state} (${cause})`;
}

/** Per-service history: count and not converged, then min/median/max to running and healthy. */
export function historyLines(episodes: RecoveryEpisode[], now: number): TimerLine[] {
  const byService = new Map<string, RecoveryEpisode[]>();
  for (const e of episodes)
    byService.set(e.serviceName, [...(byService.get(e.serviceName) ?? []), e]);
  const mmm = (x: { min: number; median: number; max: number } | undefined) =>
    x ? `${formatSeconds(x.min)}/${formatSeconds(x.median)}/${formatSeconds(x.max)}` : '–';
  return [...byService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([name, list]) => {
      const s = recoveryStats(list, now);
      const open = s.inProgress ? `, ${s.inProgress} in progress` : '';
      return [
        {
          text: `${name}: ${s.count} recover${s.count === 1 ? 'y' : 'ies'}${open}, ${s.notConverged} not converged`,
          tone: 'normal' as const,
        },
        {
          text: `  min/med/max to running ${mmm(s.toRunning)}${s.toHealthy ? ` · healthy ${mmm(s.toHealthy)}` : ''}`,
          tone: 'dim' as const,
        },
      ];
    });
}

/** Open recoveries the timers pane lists one by one (the newest). */
const MAX_OPEN = 6;
/** Services whose recovery history the pane lists (by name). */
const MAX_SERVICES = 8;

/** The recovery section: open recoveries ticking, the latest finished one explained, history. */
export function recoveryLines(
  episodes: RecoveryEpisode[],
  now: number,
  /** Why the failed task ended, when known ("OOM killed"); the episode's own cause by default. */
  causeOf: (e: RecoveryEpisode) => string | undefined = (e) =>
    e.cause ? causeText(e.cause) : undefined,
): TimerLine[] {
  const lines: TimerLine[] = [];
  // A pane shows a dozen lines: the newest open recoveries, and a count of the rest (under
  // swarm-wide churn hundreds are open, and formatting them all on every tick saturated the
  // console).
  const open = episodes.filter((x) => x.convergedAt === undefined);
  const shown = open.slice(-MAX_OPEN);
  if (open.length > shown.length)
    lines.push({
      text: `${open.length} recovering (the newest ${shown.length} below)`,
      tone: 'warn',
    });
  for (const e of shown) {
    lines.push({ text: episodeHeading(e, now, causeOf(e)), tone: 'warn' });
    const health = healthFailureLine(e);
    if (health) lines.push({ text: `  ${health}`, tone: 'warn' });
    lines.push({ text: `  ${phaseLine(e)}`, tone: 'warn' });
  }
  const last = [...episodes].reverse().find((e) => e.convergedAt !== undefined);
  if (last) {
    lines.push({ text: episodeHeading(last, now, causeOf(last)), tone: 'good' });
    const health = healthFailureLine(last);
    if (health) lines.push({ text: `  ${health}`, tone: 'normal' });
    lines.push({ text: `  ${phaseLine(last)}`, tone: 'normal' });
    const why = explainRecovery(last);
    if (why) lines.push({ text: `  ${why}`, tone: 'dim' });
  }
  const history = historyLines(episodes, now);
  lines.push(...history.slice(0, 2 * MAX_SERVICES));
  if (history.length > 2 * MAX_SERVICES)
    lines.push({ text: `+${history.length / 2 - MAX_SERVICES} more services`, tone: 'dim' });
  if (lines.length === 0)
    lines.push({ text: 'no recovery yet: kill a task (x) and watch Swarm heal it', tone: 'dim' });
  return lines;
}

/** What dominated a finished recovery, when it is clear; undefined otherwise. */
export function explainRecovery(e: RecoveryEpisode): string | undefined {
  const p = phasesOf(e);
  const total = p.converged ?? p.healthy ?? p.running;
  if (total === undefined || total <= 0) return undefined;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (e.retries > 0) return `${e.retries} replacement(s) failed again before the slot recovered`;
  if (p.killed !== undefined && p.killed / total >= 0.4)
    return `the outage began at the first failing probe: Swarm killed the container ${s(p.killed)} later, of ${s(total)}`;
  // The container starts once the restart delay has passed (running, without a healthcheck).
  const started = p.started ?? p.running;
  if (p.created !== undefined && started !== undefined && e.restartDelayMs > 0) {
    const waiting = started - p.created;
    if (waiting >= e.restartDelayMs * 0.9 && e.restartDelayMs / total >= 0.4) {
      return `the restart delay of the service's restart policy accounts for ${s(e.restartDelayMs)} of ${s(total)}`;
    }
  }
  // From the container's start (Swarm's running comes only once it is healthy).
  if (p.healthy !== undefined && started !== undefined && (p.healthy - started) / total >= 0.5) {
    return `waiting for the first passing healthcheck took ${s(p.healthy - started)} of ${s(total)}`;
  }
  return undefined;
}
