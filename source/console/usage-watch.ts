import type { ContainerPort } from '../docker/port.js';
import type { ContainerUsage } from '../domain/types.js';
import type { DeckStore } from '../store/deck-store.js';
import { selectedService, selectedSlots } from '../store/selectors.js';
import type { DeckState } from '../store/state.js';

// One sample per task this often while the tasks pane shows; at most this many tasks a round.
const EVERY_MS = 5000;
const MAX_TASKS = 12;

/**
 * Below this width the tasks pane has no CPU and MEM columns: the cause of a task's end is what
 * a game day reads there, and 16 cells of figures would cut it to a word.
 */
export const USAGE_MIN_COLUMNS = 100;

/** True when the tasks pane shows its CPU and MEM columns (not behind a dialog, logs, help, timers). */
export function usageShown(s: DeckState): boolean {
  return (
    !s.dialog &&
    !s.logs &&
    !s.ui.help &&
    s.ui.pane !== 'timers' &&
    s.ui.size.columns >= USAGE_MIN_COLUMNS
  );
}

/**
 * Samples CPU and memory of the selected service's running containers (one `docker stats
 * --no-stream` each, through their node's engine) every few seconds while the tasks pane shows,
 * and at once when the selection changes; none while it is hidden. Returns the stop function.
 */
export function watchUsage(
  store: DeckStore,
  containerPort: (nodeId: string) => ContainerPort | undefined,
  everyMs = EVERY_MS,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;

  const round = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    const s = store.getState();
    if (usageShown(s)) {
      running = true;
      const targets = selectedSlots(s)
        .map((slot) => slot.current)
        .filter((t) => t.state === 'running' && t.containerId)
        .slice(0, MAX_TASKS);
      const samples = await Promise.all(
        targets.map(async (t): Promise<[string, ContainerUsage] | undefined> => {
          const port = containerPort(t.nodeId);
          if (!port) return undefined;
          try {
            return [t.containerId!, await port.usage(t.containerId!)];
          } catch {
            // Gone between the list and the sample: its row goes blank.
            return undefined;
          }
        }),
      );
      running = false;
      if (stopped) return;
      store.getState().actions.setUsage(Object.fromEntries(samples.filter((x) => x !== undefined)));
    }
    if (stopped) return;
    if (again) {
      again = false;
      return void round();
    }
    timer = setTimeout(() => void round(), everyMs);
  };

  const now = () => {
    if (timer) clearTimeout(timer);
    void round();
  };
  const unsubscribe = store.subscribe((state, prev) => {
    const service = selectedService(state)?.id;
    const shownNow = usageShown(state);
    // Another service, or the pane back on screen: its figures at once, not in 5 s.
    if (
      service !== selectedService(prev)?.id ||
      (shownNow && !usageShown(prev)) ||
      (state.tasks !== prev.tasks && Object.keys(state.usage).length === 0)
    )
      now();
  });
  now();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}
