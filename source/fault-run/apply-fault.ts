import type { FaultRequest } from '../faults/prepare.js';
import type { FaultRecord, FaultTarget } from '../domain/fault.js';
import { episodeSlot, phasesOf } from '../domain/recovery.js';
import type { TaskCause } from '../domain/task-cause.js';
import { withRunningCounts } from '../domain/task-slots.js';
import { describeFault } from '../faults/lines.js';
import { recoveryLine } from '../format/recovery-lines.js';
import { causeText } from '../format/task-cause.js';
import type { GameDay } from '../game-day/game-day.js';
import { resolveNode, resolveTargets, type Snapshot } from './targets.js';
import { pause, waitForRecovery } from './wait-recovery.js';
import { oneNodeTarget } from './node-fault.js';
import { EXIT, type FaultCommand, type FaultRunDeps, type RunResult } from './run-types.js';
import { faultModule, traitsOf } from '../faults/registry.js';

/**
 * The scripted fault path, shared by the fault commands and the experiments' chaosdeck actions:
 * targets resolved, guarded, applied, held, recovery awaited, each round.
 */

export { EXIT, type FaultCommand, type FaultRunDeps, type RunResult } from './run-types.js';

const iso = (t: number) => new Date(t).toISOString();

/** "3s", "1500ms": a --for value as the fault's duration parameter. */
function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * The fault itself, each round (`--every`/`--times`): targets resolved, guarded, applied, held
 * for `--for`, recovery awaited. Appends to `runs`; returns the worst exit code.
 */
export async function applyFault(
  cmd: FaultCommand,
  deps: FaultRunDeps,
  runs: RunResult[],
): Promise<number> {
  let code: number = EXIT.ok;
  for (let round = 0; round < cmd.times; round++) {
    const started = Date.now();
    const result = await oneRound(cmd, deps, runs);
    code = Math.max(code, result);
    if (code === EXIT.usage) break;
    if (round + 1 < cmd.times && cmd.everyMs) await pause(started + cmd.everyMs - Date.now());
  }
  return code;
}

async function oneRound(cmd: FaultCommand, deps: FaultRunDeps, runs: RunResult[]): Promise<number> {
  const { gameDay, swarm, warn } = deps;
  const [tasks, rawServices, nodes] = await Promise.all([
    swarm.listTasks(),
    swarm.listServices(),
    swarm.listNodes(),
  ]);
  const services = withRunningCounts(rawServices, tasks);
  // The tracker needs the tasks running before the fault to see them end.
  await gameDay.observe(tasks, services);
  const resolved =
    faultModule(cmd.kind).commandTarget === 'node'
      ? resolveNode(cmd.target, nodes, { services, tasks })
      : resolveTargets(cmd.target, { services, tasks, nodes }, cmd.choice);
  if ('error' in resolved) {
    warn(`${resolved.error}`);
    return EXIT.failed;
  }
  let code: number = EXIT.ok;
  for (const target of resolved.targets) {
    const run: RunResult = { target };
    runs.push(run);
    code = Math.max(
      code,
      target.taskId === ''
        ? await oneNodeTarget(cmd, deps, target, run, nodes)
        : await oneTarget(cmd, deps, target, run, { tasks, services }),
    );
  }
  return code;
}

async function oneTarget(
  cmd: FaultCommand,
  deps: FaultRunDeps,
  target: FaultTarget,
  run: RunResult,
  snap: Pick<Snapshot, 'tasks' | 'services'>,
): Promise<number> {
  const { gameDay, swarm, say, warn } = deps;
  // A timed window is the controller's, as in the console: its timer undoes it on time.
  const windowed = cmd.forMs !== undefined && traitsOf(cmd.kind).windowed;
  const params = windowed ? { ...cmd.params, duration: durationText(cmd.forMs!) } : cmd.params;
  const request: FaultRequest = {
    kind: cmd.kind,
    target,
    params,
    ...(cmd.forMs !== undefined && !windowed && traitsOf(cmd.kind).holds
      ? { holdMs: cmd.forMs }
      : {}),
  };
  // The round's snapshot: the guards judge the swarm the targets were picked from.
  const { tasks } = snap;
  const service = snap.services.find((s) => s.id === target.serviceId);
  if (!service) {
    run.error = `service ${target.serviceName} is gone`;
    warn(`${run.error}`);
    return EXIT.failed;
  }
  const counted = withRunningCounts([service], tasks)[0]!;
  const guard = await gameDay.guard(
    request,
    counted,
    tasks.filter((t) => t.serviceId === service.id),
  );
  if (guard.verdict === 'refuse') {
    run.refused = guard.reason;
    warn(`refused: ${guard.reason}`);
    return EXIT.failed;
  }
  if (guard.verdict === 'confirm-name' && !(cmd.yes && cmd.forceLast)) {
    run.refused = `${guard.reason}; pass --yes --force-last to go ahead`;
    gameDay.refused(request, run.refused);
    warn(`refused: ${run.refused}`);
    return EXIT.failed;
  }
  let record: FaultRecord | undefined;
  try {
    record = await gameDay.run(request);
  } catch (error) {
    run.error = (error as Error).message;
    warn(`${cmd.kind} ${target.slotName} failed: ${run.error}`);
    return EXIT.failed;
  }
  if (!record) return EXIT.failed;
  const dry = record.dryRun ? 'dry run, nothing changed: ' : '';
  run.fault = {
    id: record.id,
    description: describeFault(record.kind, record.params),
    params: record.params,
    appliedAt: iso(record.appliedAt),
  };
  say(
    `${dry}${run.fault.description} on ${target.slotName} (task ${target.taskId.slice(0, 12)}, node ${target.nodeName}) applied at ${iso(record.appliedAt)} · fault ${record.id.slice(0, 8)}`,
  );
  const holds = traitsOf(cmd.kind).holds;
  if (holds && cmd.forMs !== undefined && !record.dryRun) {
    await holdFor(gameDay, record.id, record.appliedAt + cmd.forMs);
    // Still listed: the window timer is undoing it (the same promise) or its undo failed (retry).
    const outcome = gameDay.list().some((f) => f.id === record!.id)
      ? await gameDay.undo(record.id)
      : (gameDay.outcomeOf(record.id) ?? 'gone');
    run.undone = { at: iso(Date.now()), outcome: outcome === 'done' ? 'undone' : outcome };
    say(
      `${run.fault.description} on ${target.slotName}: undone after ${cmd.forMs / 1000}s (${run.undone.outcome})`,
    );
    if (outcome === 'failed') return EXIT.failed;
  } else if (holds && !record.dryRun && gameDay.list().some((f) => f.id === record!.id)) {
    run.stillActive = true;
    say(
      `still active: chaosdeck undo ${record.id.slice(0, 8)} undoes it${deps.untimedNote ? `; ${deps.untimedNote}` : ''}`,
    );
  }
  if (!cmd.waitRecovery || record.dryRun) return EXIT.ok;
  const wait = await waitForRecovery(gameDay, swarm, target, {
    since: record.appliedAt,
    deadline: Date.now() + cmd.timeoutMs,
    expectLoss: traitsOf(cmd.kind).endsTask,
  });
  run.recovery = {
    converged: wait.converged,
    ...(wait.why ? { why: wait.why } : {}),
    episodes: wait.episodes.map((e) => ({
      slot: episodeSlot(e),
      ...causeField(gameDay.causeOf(e.failedTaskId)),
      failedTask: e.failedTaskId,
      ...(e.replacementTaskId ? { replacementTask: e.replacementTaskId } : {}),
      failedAt: iso(e.failedAt),
      phasesMs: phasesOf(e),
      retries: e.retries,
    })),
  };
  for (const e of wait.episodes) say(recoveryLine(e, gameDay.causeOf(e.failedTaskId)));
  if (!wait.converged) {
    warn(`${target.serviceName} not recovered within ${cmd.timeoutMs / 1000}s: ${wait.why}`);
    return EXIT.notRecovered;
  }
  say(`${target.serviceName} converged`);
  return EXIT.ok;
}

/** Waits until `until`, or until the fault is no longer held (its target died, a halt). */
async function holdFor(gameDay: GameDay, id: string, until: number): Promise<void> {
  while (Date.now() < until && gameDay.list().some((f) => f.id === id))
    await pause(Math.min(200, until - Date.now()));
}

/** Why the failed task ended, in words, for --json ("killed by chaosdeck (SIGKILL)"). */
function causeField(cause: TaskCause | undefined): { cause?: string } {
  return cause ? { cause: causeText(cause) } : {};
}
