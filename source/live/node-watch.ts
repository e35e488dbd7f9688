import { NodeRecoveryTracker, type NodeRecovery } from '../domain/node-recovery.js';
import type { SwarmNode } from '../domain/types.js';
import { withDeadline } from '../docker/deadline.js';
import type { SwarmPort } from '../docker/port.js';

/** A node's loss and return being watched: `result` settles once it is back, or at `stop`. */
export interface NodeWatch {
  /** The recovery so far. */
  current(): NodeRecovery;
  /** Ends the watch early; `result` settles with what was seen. */
  stop(): void;
  /** Settles when the node is back and Swarm has done what it does (or at the deadline). */
  result: Promise<{ recovery: NodeRecovery; complete: boolean }>;
}

/**
 * Polls the manager's lists (nodes, tasks, services) and feeds a NodeRecoveryTracker: phases
 * come from Swarm's timestamps (the node's UpdatedAt, the tasks' CreatedAt and Status.Timestamp),
 * not from when a poll saw them. The swarm that answers may be another manager's view.
 */
export function watchNode(
  swarm: Pick<SwarmPort, 'listNodes' | 'listTasks' | 'listServices'>,
  node: SwarmNode,
  cutAt: number,
  options: {
    deadline: number;
    /** The leader's hostname before the cut. */
    leaderBefore?: string;
    everyMs?: number;
    /** A look not answered in this long counts as the API down (default 3 s). */
    lookMs?: number;
    onLook?: (r: NodeRecovery) => void;
  },
): NodeWatch {
  const tracker = new NodeRecoveryTracker(node, cutAt, options.leaderBefore);
  let stopped = false;
  const every = options.everyMs ?? 250;
  const result = (async () => {
    while (!stopped && Date.now() < options.deadline) {
      const at = Date.now();
      try {
        const [nodes, tasks, services] = await withDeadline(
          Promise.all([swarm.listNodes(), swarm.listTasks(), swarm.listServices()]),
          options.lookMs ?? 3000,
          'the manager',
        );
        const seen = tracker.observe({ at, nodes, tasks, services });
        // Observed whatever onLook is: `onLook?.(observe())` would skip the observing too.
        options.onLook?.(seen);
      } catch {
        // A manager without a leader refuses (or hangs): the control plane is down meanwhile.
        const seen = tracker.observe({ at, failed: true });
        options.onLook?.(seen);
      }
      if (tracker.done()) return { recovery: tracker.snapshot(), complete: true };
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, Math.min(every, options.deadline - Date.now()))),
      );
    }
    return { recovery: tracker.snapshot(), complete: tracker.done() };
  })();
  return {
    current: () => tracker.snapshot(),
    stop: () => {
      stopped = true;
    },
    result,
  };
}
