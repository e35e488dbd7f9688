import { nodeRecoveryLines } from '../format/node-recovery-lines.js';
import { managerSwitchLine } from '../format/manager-lines.js';
import { experimentSection } from './experiment-section.js';
import { percentile } from '../domain/latency.js';
import { episodeSlot, phasesOf, type RecoveryEpisode } from '../domain/recovery.js';
import { causeText } from '../format/task-cause.js';
import {
  recoveryTime,
  verdictOf,
  worstLatency,
  type Experiment,
  type GameDayModel,
} from './game-day-model.js';

const iso = (t: number) =>
  new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
const clock = (t: number) => new Date(t).toISOString().slice(11, 23);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msText = (ms: number) => (ms >= 1000 ? secs(ms) : `${Math.round(ms)} ms`);
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** "+5.61 s" from the failure; "–" for a phase not reached. */
function plus(ms: number | undefined): string {
  return ms === undefined ? '–' : `+${secs(ms)}`;
}

function recoveryRows(episodes: RecoveryEpisode[]): string[] {
  if (episodes.length === 0) return [];
  const rows = [
    // In the order they happen: with a healthcheck, Swarm says running only once healthy.
    '| Slot | Failed (Swarm) | Cause | Replacement created | Container started | Healthy | Running | Converged | Retries |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of episodes) {
    const p = phasesOf(e);
    const ended = `${e.failedState}${e.exitCode !== undefined ? `, exit ${e.exitCode}` : ''}`;
    // A health failure's outage began at its first failing probe: the phases count from there.
    const cause =
      e.firstFailingProbeAt !== undefined
        ? `unhealthy from the first failing probe at ${clock(e.firstFailingProbeAt)} (unhealthy ${plus(p.unhealthy)}, killed ${plus(p.killed)}), ${ended}`
        : e.cause
          ? `${causeText(e.cause)}, ${ended}`
          : ended;
    rows.push(
      `| ${episodeSlot(e)} | ${clock(e.failedAt)} | ${cause} | ${plus(p.created)} | ${e.hasHealthcheck ? plus(p.started) : 'not read'} | ${e.hasHealthcheck ? plus(p.healthy) : 'no healthcheck'} | ${plus(p.running)} | ${plus(p.converged)} | ${e.retries} |`,
    );
  }
  return rows;
}

function observations(x: Experiment): string[] {
  const lines: string[] = [];
  for (const t of x.tasks) {
    const ended = ['complete', 'failed', 'shutdown', 'rejected', 'orphaned', 'remove'].includes(
      t.state,
    );
    const exit = ended && t.exitCode !== undefined ? `, exit ${t.exitCode}` : '';
    const error = t.error ? ` (${t.error})` : '';
    const why = t.cause ? ` — ${causeText(t.cause)}` : '';
    lines.push(
      `- ${clock(t.at)} ${t.slot} task ${t.task.slice(0, 12)}: ${t.state} (desired ${t.desired})${exit}${error}${why}`,
    );
  }
  for (const o of x.ooms)
    lines.push(`- ${clock(o.at)} ${o.slot}: **OOM kill** of container ${o.container.slice(0, 12)}`);
  for (const h of x.health) {
    // Docker's mark on a paused container, not a failing probe: the report says which.
    const why = h.paused && h.status === 'unhealthy' ? " (Docker's mark while paused)" : '';
    lines.push(`- ${clock(h.t)} ${h.slot}: health ${h.status}${why}`);
  }
  lines.sort();
  if (lines.length === 0) lines.push('- No task of the service changed state.');
  const rows = recoveryRows(x.recoveries);
  if (rows.length)
    lines.push('', 'Recovery, each phase from Swarm’s and Docker’s own timestamps:', '', ...rows);
  if (x.undone)
    lines.push(
      '',
      x.undone.why
        ? `Ended with its target at ${clock(x.undone.t)}: ${x.undone.why} (${x.undone.outcome}, nothing to put back).`
        : `Undone at ${clock(x.undone.t)}: ${x.undone.outcome}${x.undone.error ? ` (${x.undone.error})` : ''}.`,
    );
  return lines;
}

/** The latency table of one experiment: each attempt, then p50 / p95 / max per phase. */
export function latencySection(x: Experiment): string[] {
  if (x.samples.length === 0) return ['No probe samples or manual laps around this experiment.'];
  const names = [...new Set(x.samples.map((s) => s.name))];
  const out: string[] = [];
  for (const name of names) {
    const mine = x.samples.filter((s) => s.name === name);
    const source = mine[0]!.source === 'lap' ? 'manual laps' : 'probe';
    out.push(
      `**${name}** (${source})`,
      '',
      '| Attempt | Started | Phase | Time | Result |',
      '| --- | --- | --- | --- | --- |',
    );
    // Laps are few and each one matters; a probe sampling each second is summed up instead.
    const listed =
      source === 'manual laps' || mine.length <= 30
        ? mine
        : mine.filter((s) => !s.ok || s.phase === 'during');
    listed.forEach((s) => {
      out.push(
        `| ${mine.indexOf(s) + 1} | ${clock(s.at)} | ${s.phase} | ${msText(s.ms)} | ${s.ok ? 'ok' : cell(s.error ?? 'failed')} |`,
      );
    });
    if (listed.length < mine.length)
      out.push(`| … | | | | ${mine.length - listed.length} ok samples before/after not listed |`);
    out.push(
      '',
      '| Phase | Attempts | Errors | p50 | p95 | max |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const phase of ['before', 'during', 'after'] as const) {
      const group = mine.filter((s) => s.phase === phase);
      const ok = group.filter((s) => s.ok).map((s) => s.ms);
      const f = (v: number) => (ok.length ? msText(v) : '–');
      out.push(
        `| ${phase} | ${group.length} | ${group.length - ok.length} | ${f(percentile(ok, 50))} | ${f(percentile(ok, 95))} | ${f(Math.max(...ok))} |`,
      );
    }
    out.push('');
  }
  return out;
}

function procedure(x: Experiment): string[] {
  const params = Object.entries(x.params)
    .filter(([k]) => k !== 'bytes')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const t = x.target;
  const steps = [
    `${clock(x.applied)} ${x.who} applied **${x.description}** to \`${t.slot}\` (task ${t.task.slice(0, 12)}, container ${t.container.slice(0, 12)}, node ${t.node})${x.dryRun ? ' — dry run, nothing changed' : ''}`,
    ...(params ? [`Parameters: ${params}`] : []),
    ...(x.previous !== undefined
      ? [`Captured before the change, for the undo: \`${JSON.stringify(x.previous)}\``]
      : []),
    ...(x.undone
      ? [
          `${clock(x.undone.t)} ${x.undone.why ? `ended with its target: ${x.undone.why}` : 'undone'} (${x.undone.outcome}), ${secs(x.undone.t - x.applied)} after it was applied`,
        ]
      : []),
  ];
  return steps.map((s, i) => `${i + 1}. ${s}`);
}

/** The summary row values of an experiment (shared with the JSON report). */
export function summaryOf(x: Experiment): { recovery: string; worst: string; verdict: string } {
  const r = recoveryTime(x);
  const w = worstLatency(x);
  return {
    recovery: r === undefined ? (x.recoveries.length ? 'not converged' : '–') : secs(r),
    worst: w ? `${w.ok ? msText(w.ms) : 'error'} (${w.name})` : '–',
    verdict: verdictOf(x),
  };
}

/** The game day as Markdown in the shape of the seed write-ups, findings left to the team. */
export function reportMarkdown(model: GameDayModel, journalFile: string): string {
  const first = model.runStarts[0];
  const out: string[] = ['# Chaos engineering game day', ''];
  out.push(`**Date:** ${iso(model.start)} to ${iso(model.end)}  `);
  if (first)
    out.push(
      `**Cluster:** manager ${first.engine.node}, Docker ${first.engine.version} (API ${first.engine.api})  `,
    );
  const people = [...new Set(model.runStarts.map((s) => `${s.who}@${s.host}`))];
  out.push(`**Operators:** ${people.join(', ') || '–'}  `, `**Journal:** \`${journalFile}\``, '');
  if (first) {
    out.push(
      '## Cluster',
      '',
      '| Node | Role | Availability | Ready |',
      '| --- | --- | --- | --- |',
    );
    for (const n of first.nodes)
      out.push(`| ${n.hostname} | ${n.role} | ${n.availability} | ${n.ready ? 'yes' : 'no'} |`);
    const touched = new Set(model.experiments.map((x) => x.target.service));
    const services = first.services.filter((s) => touched.has(s.name));
    if (services.length) {
      out.push(
        '',
        'Services touched:',
        '',
        '| Service | Mode | Desired | Image |',
        '| --- | --- | --- | --- |',
      );
      for (const s of services) out.push(`| ${s.name} | ${s.mode} | ${s.desired} | ${s.image} |`);
    }
    out.push('');
  }
  out.push('## Summary', '');
  if (model.experiments.length === 0) out.push('No faults were applied.');
  else {
    out.push(
      '| # | Experiment | Target | Recovery time | Worst latency (during) | Verdict |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const x of model.experiments) {
      const s = summaryOf(x);
      out.push(
        `| ${x.number} | ${cell(x.description)} | ${x.target.slot} | ${s.recovery} | ${s.worst} | ${s.verdict} |`,
      );
    }
  }
  out.push('', ...experimentSection(model.runs));
  for (const x of model.experiments) {
    out.push(`## Experiment ${x.number}: ${x.description} on ${x.target.service}`, '');
    out.push(`**Date:** ${iso(x.applied)}  `, `**Target Service:** \`${x.target.service}\``, '');
    out.push('### Procedure:', ...procedure(x), '');
    out.push('### Observations:', ...observations(x), '');
    out.push('### Latency:', '', ...latencySection(x), '');
    const notes = model.notes.filter((n) => n.t >= x.applied && n.t <= x.until);
    if (notes.length)
      out.push(
        '### Notes during the experiment:',
        ...notes.map((n) => `- ${clock(n.t)} ${n.who}: ${n.text}`),
        '',
      );
    out.push('### Findings:', '', '### Recommendations:', '');
  }
  if (model.unplanned.length)
    out.push(
      '## Recoveries without a fault',
      '',
      "Tasks that ended while none of this day's faults was on their service, and how Swarm healed them.",
      '',
      ...recoveryRows(model.unplanned),
      '',
    );
  if (model.refusals.length || model.failures.length) {
    out.push('## Refused or failed actions', '');
    for (const r of model.refusals)
      out.push(`- ${clock(r.t)} ${r.kind} ${r.target.slot}: refused, ${r.reason}`);
    for (const f of model.failures)
      out.push(`- ${clock(f.t)} ${f.kind} ${f.target.slot}: failed, ${f.error}`);
    out.push('');
  }
  if (model.nodeRecoveries.length) {
    out.push('## Nodes lost and back', '');
    // Counted from the cut; each phase is Swarm's own timestamp (the control plane's: chaosdeck's).
    for (const n of model.nodeRecoveries) {
      out.push(`- ${clock(n.recovery.cutAt)} cut:`, '');
      out.push('  ```text', ...nodeRecoveryLines(n.recovery).map((l) => `  ${l}`), '  ```', '');
    }
  }
  if (model.managerSwitches.length) {
    out.push('## Managers chaosdeck went through', '');
    for (const m of model.managerSwitches) out.push(`- ${clock(m.t)} ${managerSwitchLine(m)}`);
    out.push('');
  }
  if (model.serviceActions.length) {
    out.push('## Service actions', '');
    for (const a of model.serviceActions) {
      const what =
        a.action === 'scale' ? `scale ${a.service} ${a.from} → ${a.to}` : `restart ${a.service}`;
      const how = a.outcome === 'done' ? '' : `: ${a.outcome}${a.error ? `, ${a.error}` : ''}`;
      out.push(`- ${clock(a.t)} ${what}${how}`);
    }
    out.push('');
  }
  out.push('## Operator notes', '');
  if (model.notes.length === 0) out.push('None.');
  for (const n of model.notes) out.push(`- ${iso(n.t)} ${n.who}: ${n.text}`);
  out.push('', '## Findings', '', '## Recommendations', '');
  return out.join('\n');
}
