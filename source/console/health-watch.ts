import type { ContainerPort } from '../docker/port.js';
import type { ContainerHealth, EngineEvent } from '../domain/types.js';
import { hintFor, sameItems } from '../live/sync-plan.js';
import type { DeckStore } from '../store/deck-store.js';
import { nodeName, selectedTaskRow } from '../store/selectors.js';

/** How often a container whose events reach the console is inspected after a poll anyway. */
const REFRESH_MS = 10_000;

/** The health pane's inspections: the selected container, and containers whose health changed. */
export interface HealthWatch {
  /** Inspects the selected task's container (on selection change, after a fault). */
  inspectSelected(): void;
  /**
   * After a poll: inspects the selected container unless its node's events already tell when it
   * changes (the manager's own node, an endpoint's, while their streams are live), and then at
   * least every REFRESH_MS.
   */
  afterPoll(): void;
  /** An engine event: inspects the container it names when the pane shows or tracks it. */
  onEvent(event: EngineEvent): void;
  stop(): void;
}

/**
 * Keeps the store's health views fresh without inspecting every container each poll: only the
 * one on screen, and those whose health_status event says something changed.
 */
export function watchHealth(
  store: DeckStore,
  containerPort: (nodeId: string) => ContainerPort | undefined,
  onHealth?: (containerId: string, health: ContainerHealth) => void,
): HealthWatch {
  let stopped = false;
  // The latest inspection (of any container): enough to know whether the selected one is fresh.
  let last = { containerId: '', at: 0 };

  const inspect = async (containerId: string, nodeId: string) => {
    const state = store.getState();
    last = { containerId, at: Date.now() };
    const target = containerPort(nodeId);
    if (!target) {
      state.actions.setHealth(containerId, { kind: 'remote', nodeName: nodeName(state, nodeId) });
      return;
    }
    try {
      const health = await target.inspectHealth(containerId);
      if (stopped) return;
      if (health) onHealth?.(containerId, health);
      // Unchanged health (most polls) must not redraw the screen.
      const previous = store.getState().health[containerId];
      if (health && previous?.kind === 'ok' && sameItems([previous.health], [health])) return;
      store
        .getState()
        .actions.setHealth(
          containerId,
          health ? { kind: 'ok', health, at: Date.now() } : { kind: 'gone' },
        );
    } catch (error) {
      if (!stopped)
        store
          .getState()
          .actions.setHealth(containerId, { kind: 'error', message: (error as Error).message });
    }
  };

  const inspectSelected = () => {
    const task = selectedTaskRow(store.getState())?.task;
    if (task?.containerId) void inspect(task.containerId, task.nodeId);
  };

  // The selection moved: show the newly selected container's health at once.
  const unsubscribe = store.subscribe((state, prev) => {
    // A fault applied or undone changes the container at once (paused, limits); a worker
    // node's events may not reach this console, so it is inspected now, not at the next poll.
    if (state.faults !== prev.faults) return inspectSelected();
    if (state.ui === prev.ui && state.tasks === prev.tasks) return;
    const now = selectedTaskRow(state)?.task.containerId;
    const before = selectedTaskRow(prev)?.task.containerId;
    if (now && now !== before) inspectSelected();
  });

  return {
    inspectSelected,
    afterPoll: () => {
      const state = store.getState();
      const task = selectedTaskRow(state)?.task;
      if (!task?.containerId) return;
      // A probe's end (exec_die), a death, a pause: each is an event, and each event inspects
      // the selected container. Inspecting after every poll as well doubled the inspections
      // with a healthcheck on screen, for nothing new.
      const evented = state.evented.has(task.nodeId);
      const fresh = last.containerId === task.containerId && Date.now() - last.at < REFRESH_MS;
      if (evented && fresh) return;
      void inspect(task.containerId, task.nodeId);
    },
    onEvent: (event) => {
      const state = store.getState();
      const hint = hintFor(event, selectedTaskRow(state)?.task.containerId, (id) =>
        state.tasks.some((t) => t.containerId === id),
      );
      if (!hint.inspect) return;
      const task = state.tasks.find((t) => t.containerId === hint.inspect);
      if (task) void inspect(hint.inspect, task.nodeId);
    },
    stop: () => {
      stopped = true;
      unsubscribe();
    },
  };
}
