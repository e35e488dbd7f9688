import type { ContainerPort, Subscription } from '../docker/port.js';
import type { LogLine } from '../domain/types.js';
import type { DeckStore } from '../store/deck-store.js';
import { nodeName } from '../store/selectors.js';

// Lines the view starts from (docker logs --tail), and how often arriving lines are drawn.
const TAIL = 200;
const FLUSH_MS = 100;

/**
 * Follows the logs of the container the logs view shows, through its node's engine, while the
 * view is open; a chatty container's lines reach the store in batches. Returns the stop function.
 */
export function watchLogs(
  store: DeckStore,
  containerPort: (nodeId: string) => ContainerPort | undefined,
): () => void {
  let current: { containerId: string; sub?: Subscription; closed: boolean } | undefined;
  let pending: LogLine[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    if (!current || pending.length === 0) return;
    const lines = pending;
    pending = [];
    store.getState().actions.appendLogs(current.containerId, lines);
  };
  const stopCurrent = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    pending = [];
    if (current) {
      current.closed = true;
      current.sub?.stop();
    }
    current = undefined;
  };

  const start = (containerId: string, nodeId: string) => {
    const mine = { containerId, closed: false } as NonNullable<typeof current>;
    current = mine;
    const a = store.getState().actions;
    const port = containerPort(nodeId);
    if (!port) {
      const node = nodeName(store.getState(), nodeId);
      a.endLogs(
        containerId,
        `runs on node ${node}: give chaosdeck --node ${node}=ENDPOINT to read them`,
      );
      return;
    }
    port
      .followLogs(
        containerId,
        TAIL,
        (lines) => {
          if (mine.closed) return;
          pending.push(...lines);
          timer ??= setTimeout(flush, FLUSH_MS);
        },
        (error) => {
          if (mine.closed) return;
          flush();
          store.getState().actions.endLogs(containerId, error?.message);
        },
      )
      .then(
        (sub) => {
          if (mine.closed) sub.stop();
          else mine.sub = sub;
        },
        (error: unknown) => {
          if (!mine.closed) store.getState().actions.endLogs(containerId, (error as Error).message);
        },
      );
  };

  const unsubscribe = store.subscribe((state) => {
    const logs = state.logs;
    if (logs?.containerId === current?.containerId) return;
    stopCurrent();
    if (logs) start(logs.containerId, logs.nodeId);
  });
  return () => {
    unsubscribe();
    stopCurrent();
  };
}
