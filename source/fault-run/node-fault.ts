import type { FaultRecord, FaultTarget } from '../domain/fault.js';
import { leaderBefore } from '../domain/node-recovery.js';
import type { Service, SwarmNode } from '../domain/types.js';
import type { FaultRequest } from '../faults/prepare.js';
import { isRefusal } from '../faults/fault-error.js';
import { describeFault } from '../faults/lines.js';
import { nodeRecoveryJson, nodeRecoveryLines } from '../format/node-recovery-lines.js';
import { EXIT, type FaultCommand, type FaultRunDeps, type RunResult } from './run-types.js';
import { watchNode } from '../live/node-watch.js';
import { pause } from './wait-recovery.js';

const iso = (t: number) => new Date(t).toISOString();

/** The node as the guards see a target: its name and labels (chaosdeck.protect=true on a node). */
function nodeAsService(node: SwarmNode): Service {
  return {
    id: '',
    name: node.hostname,
    mode: 'replicated',
    desired: 0,
    running: 0,
    image: '',
    ports: [],
    labels: node.labels,
    hasHealthcheck: false,
    restartDelayMs: 0,
  };
}

/**
 * A fault on a node (partition): guarded, applied, held for its window while Swarm's view of
 * the node is watched (marked down, its replicas moved, ready again), undone, and the node's
 * recovery awaited to its end with --wait-recovery.
 */
export async function oneNodeTarget(
  cmd: FaultCommand,
  deps: FaultRunDeps,
  target: FaultTarget,
  run: RunResult,
  nodes: SwarmNode[],
): Promise<number> {
  const { gameDay, swarm, say, warn } = deps;
  const node = nodes.find((n) => n.id === target.nodeId)!;
  const request: FaultRequest = {
    kind: cmd.kind,
    target,
    params: { ...cmd.params, duration: `${Math.round(cmd.forMs! / 1000)}s` },
  };
  const guard = await gameDay.guard(request, nodeAsService(node), []);
  if (guard.verdict !== 'allow') {
    run.refused = guard.reason;
    warn(`refused: ${guard.reason}`);
    return EXIT.failed;
  }
  // Watched from before the change: cutting a leader can hold the apply up for seconds (the API
  // goes with it), and the election must not be missed meanwhile.
  const cutAt = Date.now();
  const watch = cmd.waitRecovery
    ? watchNode(swarm, node, cutAt, {
        deadline: cutAt + cmd.forMs! + cmd.timeoutMs,
        ...leaderBefore(nodes),
      })
    : undefined;
  let record: FaultRecord | undefined;
  try {
    record = await gameDay.run(request);
  } catch (error) {
    watch?.stop();
    if (isRefusal(error)) {
      run.refused = error.message;
      warn(`refused: ${error.message}`);
      return EXIT.failed;
    }
    run.error = (error as Error).message;
    warn(`${cmd.kind} ${target.nodeName} failed: ${run.error}`);
    return EXIT.failed;
  }
  if (!record) {
    watch?.stop();
    return EXIT.failed;
  }
  run.fault = {
    id: record.id,
    description: describeFault(record.kind, record.params),
    params: record.params,
    appliedAt: iso(record.appliedAt),
  };
  const endsAt = record.endsAt ?? record.appliedAt + cmd.forMs!;
  say(
    `${record.dryRun ? 'dry run, nothing changed: ' : ''}${run.fault.description} on ${target.nodeName} applied at ${iso(record.appliedAt)}, ends by itself at ${iso(endsAt)} · fault ${record.id.slice(0, 8)}`,
  );
  if (record.dryRun) {
    watch?.stop();
    return EXIT.ok;
  }
  while (Date.now() < endsAt && gameDay.list().some((f) => f.id === record!.id))
    await pause(Math.min(200, endsAt - Date.now()));
  const outcome = gameDay.list().some((f) => f.id === record!.id)
    ? await gameDay.undo(record.id)
    : (gameDay.outcomeOf(record.id) ?? 'gone');
  run.undone = { at: iso(Date.now()), outcome: outcome === 'done' ? 'undone' : outcome };
  say(`${run.fault.description} on ${target.nodeName}: window over (${run.undone.outcome})`);
  if (!watch) return outcome === 'failed' ? EXIT.failed : EXIT.ok;
  const { recovery, complete } = await watch.result;
  gameDay.nodeRecovered(recovery);
  run.recovery = {
    converged: complete,
    ...(complete ? {} : { why: 'the node is not back (or its tasks not settled) in time' }),
    episodes: [],
    node: nodeRecoveryJson(recovery),
  };
  for (const line of nodeRecoveryLines(recovery)) say(line);
  if (!complete) {
    warn(`${target.nodeName} not recovered within ${cmd.timeoutMs / 1000}s of the window's end`);
    return EXIT.notRecovered;
  }
  return outcome === 'failed' ? EXIT.failed : EXIT.ok;
}
