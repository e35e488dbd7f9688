import type { FaultTarget } from '../domain/fault.js';
import { leaderBefore, type NodeRecovery } from '../domain/node-recovery.js';
import type { SwarmPort } from '../docker/port.js';
import { watchNode } from '../live/node-watch.js';

/** The longest a cut node is watched: the longest window (10 min) and Swarm's catching up. */
const WATCH_MS = 15 * 60_000;

/**
 * Watches a node a partition cuts off, from before the cut: each look goes to `show` (the timers
 * pane), the end to `record` (the journal). Returns the stop function (the console's exit, or
 * the apply failing).
 */
export function nodeLossWatch(
  swarm: Pick<SwarmPort, 'listNodes' | 'listTasks' | 'listServices'>,
  show: (r: NodeRecovery) => void,
  record: (r: NodeRecovery) => void,
): { start: (target: FaultTarget) => () => void; stopAll: () => void } {
  const active = new Set<() => void>();
  const start = (target: FaultTarget) => {
    const cutAt = Date.now();
    let stop = () => {};
    let stopped = false;
    const entry = () => {
      stopped = true;
      stop();
    };
    active.add(entry);
    // The node and the leader as they were before the cut.
    void swarm
      .listNodes()
      .then((nodes) => {
        const node = nodes.find((n) => n.id === target.nodeId);
        if (!node || stopped) return;
        const watch = watchNode(swarm, node, cutAt, {
          deadline: cutAt + WATCH_MS,
          ...leaderBefore(nodes),
          onLook: show,
        });
        stop = watch.stop;
        return watch.result.then(({ recovery }) => {
          show(recovery);
          if (!stopped) record(recovery);
        });
      })
      .catch(() => undefined)
      .finally(() => active.delete(entry));
    return entry;
  };
  return {
    start,
    stopAll: () => {
      for (const stop of [...active]) stop();
    },
  };
}
