import { nodeRecoveryJson } from '../format/node-recovery-lines.js';
import { platform, release } from 'node:os';
import { phasesOf } from '../domain/recovery.js';
import { verdictOf, type Experiment, type GameDayModel } from './game-day-model.js';
import { summaryOf } from './report-md.js';

const iso = (t: number) => new Date(t).toISOString();

/** One run[] entry of a Chaos Toolkit journal. */
interface CtkRun {
  activity: Record<string, unknown>;
  output: Record<string, unknown>;
  start: string;
  end: string;
  duration: number;
  status: 'succeeded' | 'failed';
  exception?: string[];
}

function runOf(x: Experiment): CtkRun {
  const end = x.undone?.t ?? x.applied;
  const failed = x.undone?.outcome === 'failed';
  return {
    activity: {
      type: 'action',
      name: `${x.kind} ${x.target.slot}`,
      provider: {
        type: 'chaosdeck',
        module: 'chaosdeck',
        func: x.kind,
        arguments: { target: x.target, ...x.params },
      },
    },
    output: {
      description: x.description,
      who: x.who,
      target: x.target,
      previous: x.previous ?? null,
      undone: x.undone
        ? {
            at: iso(x.undone.t),
            outcome: x.undone.outcome,
            ...(x.undone.error ? { error: x.undone.error } : {}),
          }
        : null,
      verdict: verdictOf(x),
      summary: summaryOf(x),
      recoveries: x.recoveries.map((e) => ({ ...e, phases_ms: phasesOf(e) })),
      tasks: x.tasks.map(({ session: _s, type: _t, ...t }) => t),
      oom_kills: x.ooms.map((o) => ({ slot: o.slot, container: o.container, at: iso(o.at) })),
      health: x.health.map((h) => ({ slot: h.slot, status: h.status, at: iso(h.t) })),
      samples: x.samples,
    },
    start: iso(x.applied),
    end: iso(end),
    duration: (end - x.applied) / 1000,
    status: failed ? 'failed' : 'succeeded',
    ...(failed ? { exception: [x.undone!.error ?? 'undo failed'] } : {}),
  };
}

/**
 * The game day as a Chaos Toolkit journal (chaoslib/run.py's shape), so `chaos report` and the
 * tools around it can read it; recovery phases and samples go in each run's output.
 */
export function reportJson(model: GameDayModel, version: string): Record<string, unknown> {
  const first = model.runStarts[0];
  const deviated = model.experiments.some((x) => verdictOf(x) === 'not recovered');
  const interrupted = model.ends.some((e) => e.code !== 0);
  const rollbacks = model.experiments
    .filter((x) => x.undone && x.previous !== undefined)
    .map((x) => ({
      activity: {
        type: 'action',
        name: `undo ${x.kind} ${x.target.slot}`,
        provider: { type: 'chaosdeck', func: 'undo', arguments: { previous: x.previous } },
      },
      output: {
        outcome: x.undone!.outcome,
        ...(x.undone!.error ? { error: x.undone!.error } : {}),
      },
      start: iso(x.undone!.t),
      end: iso(x.undone!.t),
      duration: 0,
      status: x.undone!.outcome === 'failed' ? 'failed' : 'succeeded',
    }));
  return {
    'chaoslib-version': `chaosdeck ${version}`,
    platform: `${platform()} ${release()}`,
    node: first?.host ?? '',
    experiment: {
      title: `Game day on ${first?.engine.node ?? 'a swarm'}`,
      description: 'Faults applied with chaosdeck and what Swarm did after each.',
      'steady-state-hypothesis': {
        title: 'Services converge to their desired replicas',
        probes: [],
      },
      method: model.experiments.map((x) => runOf(x).activity),
      rollbacks: rollbacks.map((r) => r.activity),
    },
    start: iso(model.start),
    end: iso(model.end),
    duration: (model.end - model.start) / 1000,
    status: interrupted ? 'interrupted' : 'completed',
    deviated,
    steady_states: { before: null, after: null, during: [] },
    run: model.experiments.map(runOf),
    rollbacks,
    notes: model.notes.map((n) => ({ at: iso(n.t), who: n.who, text: n.text })),
    nodeRecoveries: model.nodeRecoveries.map((n) => nodeRecoveryJson(n.recovery)),
    managerSwitches: model.managerSwitches.map((m) => ({
      at: iso(m.t),
      from: m.from,
      to: m.to,
      back: m.home,
      ...(m.reason ? { reason: m.reason } : {}),
    })),
  };
}
