import type { ContainerHealth } from '../domain/types.js';
import { formatAge } from '../domain/duration.js';
import { truncate } from './fit.js';

/** One line of the health pane, with a tone for colouring. */
export interface HealthLine {
  text: string;
  tone: 'normal' | 'good' | 'bad' | 'warn' | 'dim';
  /** Wraps onto further lines where the pane is narrow (a status, an error); else it is cut. */
  wrap?: boolean;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

const STATUS_TONE: Record<ContainerHealth['status'], HealthLine['tone']> = {
  healthy: 'good',
  unhealthy: 'bad',
  starting: 'warn',
  none: 'dim',
};

/**
 * The health pane for one container: status, failing streak, lifecycle facts (OOMKilled,
 * restarts, exit code), then the latest probe results, newest first, one line each.
 */
export function healthLines(
  h: ContainerHealth,
  now: number,
  width: number,
  maxLines: number,
  /** When chaosdeck paused it (Docker does not record when a container was paused). */
  pausedAt?: number,
): HealthLine[] {
  // Docker stops probing a paused container and marks it unhealthy whatever its probes said (its
  // failing streak stays as it was, often 0): say so, or a pause reads as failing probes.
  const health =
    h.status === 'none'
      ? 'no healthcheck'
      : h.paused && h.status === 'unhealthy'
        ? "unhealthy (Docker's mark while paused)"
        : `${h.status}, failing streak ${h.failingStreak}`;
  const up = h.running && h.startedAt !== undefined ? formatAge(now - h.startedAt) : undefined;
  // The age of a pause is only known when chaosdeck made it; the start time is not it.
  const state = !h.paused
    ? `${h.state}${up ? ` for ${up}` : ''}`
    : `paused${pausedAt !== undefined ? ` for ${formatAge(now - pausedAt)}` : ''}${up ? ` · up ${up}` : ''}`;
  const life = [
    state,
    h.running ? '' : `exit ${h.exitCode}`,
    h.oomKilled ? 'OOMKilled' : '',
    h.restartCount > 0 ? `restarts ${h.restartCount}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const lines: HealthLine[] = [
    {
      text: truncate(`${health}  ·  ${life}`, width),
      tone: h.oomKilled ? 'bad' : STATUS_TONE[h.status],
      wrap: true,
    },
  ];
  const probes = [...h.probes].sort((a, b) => b.start - a.start);
  for (const p of probes.slice(0, Math.max(0, maxLines - 1))) {
    const took = p.end > p.start ? ` ${Math.round(p.end - p.start)}ms` : '';
    lines.push({
      text: truncate(
        `${clock(p.start)} exit ${p.exitCode}${took}  ${p.output || '(no output)'}`,
        width,
      ),
      tone: p.exitCode === 0 ? 'normal' : 'bad',
    });
  }
  return lines.slice(0, maxLines);
}
