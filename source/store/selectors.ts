import { matchesFilter, parseFilter } from '../domain/filter.js';
import { groupTaskSlots, type TaskSlot } from '../domain/task-slots.js';
import { taskCause } from '../domain/task-cause.js';
import type { Service, Task } from '../domain/types.js';
import { causeText } from '../format/task-cause.js';
import type { ServiceSort } from './command-line.js';
import { memoLast } from './memo.js';
import type { DeckState, FieldPurpose } from './state.js';

/** A row of the tasks pane: a slot's current task, or an earlier one indented under it. */
export interface TaskRow {
  task: Task;
  slotName: string;
  isCurrent: boolean;
}

// Every pane asks on every frame; with 1 000 services the sort is worth doing once.
const byName = (a: Service, b: Service) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const ORDER: Record<ServiceSort, (a: Service, b: Service) => number> = {
  name: byName,
  // Most short of their count first: where a game day's damage shows.
  replicas: (a, b) => b.desired - b.running - (a.desired - a.running) || byName(a, b),
  changed: (a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0) || byName(a, b),
};
const filterAndSort = memoLast(
  (services: Service[], filterText: string, sort: ServiceSort): Service[] => {
    const filter = parseFilter(filterText);
    return services.filter((s) => matchesFilter(filter, s.name)).sort(ORDER[sort]);
  },
);

/** Services after the filter, sorted by name (or as `:sort` asked). */
export function visibleServices(state: Pick<DeckState, 'services' | 'ui'>): Service[] {
  return filterAndSort(state.services, state.ui.filter, state.ui.sort ?? 'name');
}

/** The service under the cursor, falling back to the first visible one. */
export function selectedService(state: Pick<DeckState, 'services' | 'ui'>): Service | undefined {
  const list = visibleServices(state);
  return list.find((s) => s.id === state.ui.selectedServiceId) ?? list[0];
}

/** Node hostname by id, or a short id when the node is not known. */
export function nodeName(state: Pick<DeckState, 'nodes'>, nodeId: string): string {
  return state.nodes.find((n) => n.id === nodeId)?.hostname ?? nodeId.slice(0, 12);
}

// Each pane, the footer and the store's watchers ask on every update: grouped once per change of
// the service, the tasks or the nodes (a new array each time also defeated taskRows' memo).
const slotsOf = memoLast((service: Service, tasks: Task[], nodes: DeckState['nodes']) =>
  groupTaskSlots(service, tasks, (id) => nodeName({ nodes }, id)),
);
const NO_SLOTS: TaskSlot[] = [];

/** Slots of the selected service, like `docker service ps`. */
export function selectedSlots(
  state: Pick<DeckState, 'services' | 'tasks' | 'nodes' | 'ui'>,
): TaskSlot[] {
  const service = selectedService(state);
  if (!service) return NO_SLOTS;
  return slotsOf(service, state.tasks, state.nodes);
}

/** Flattens slots into rows: each current task followed by its history. */
export const taskRows = memoLast(flattenSlots);

function flattenSlots(slots: TaskSlot[]): TaskRow[] {
  return slots.flatMap((slot) => [
    { task: slot.current, slotName: slot.name, isCurrent: true },
    ...slot.history.map((task) => ({ task, slotName: slot.name, isCurrent: false })),
  ]);
}

/** The task under the cursor: a followed slot's current task, the chosen task, or the first. */
export function selectedTaskRow(
  state: Pick<DeckState, 'services' | 'tasks' | 'nodes' | 'ui'>,
): TaskRow | undefined {
  const rows = taskRows(selectedSlots(state));
  const { followSlot, selectedTaskId } = state.ui;
  if (followSlot) {
    const row = rows.find((r) => r.isCurrent && r.slotName === followSlot);
    if (row) return row;
  }
  return rows.find((r) => r.task.id === selectedTaskId) ?? rows[0];
}

/**
 * True when something on screen shows seconds (a task age under two minutes, a container that
 * started recently, a stale note): then the clock must redraw every second, else once a minute.
 */
export function showsSeconds(
  state: Pick<DeckState, 'services' | 'tasks' | 'nodes' | 'ui' | 'health' | 'stale' | 'now'>,
  now: number,
): boolean {
  if (state.stale) return true;
  const recent = (t: number | undefined) => t !== undefined && now - t < 120_000;
  for (const row of taskRows(selectedSlots(state))) if (recent(row.task.stateSince)) return true;
  const selected = selectedTaskRow(state)?.task.containerId;
  const view = selected ? state.health[selected] : undefined;
  return view?.kind === 'ok' && recent(view.health.startedAt);
}

/** The mode the keyboard is in: every key goes to exactly this one. */
export type InputMode = 'dialog' | FieldPurpose | 'help' | 'logs' | 'normal';

/** Which input mode the keyboard is in, read from the store (one at a time by construction). */
export function inputMode(state: Pick<DeckState, 'dialog' | 'ui' | 'logs'>): InputMode {
  if (state.dialog) return 'dialog';
  if (state.ui.field) return state.ui.field.purpose;
  if (state.ui.help) return 'help';
  if (state.logs) return 'logs';
  return 'normal';
}

/** Why a task ended, in words, from Swarm's task and what events told of its container. */
export function taskCauseText(
  state: Pick<DeckState, 'facts'>,
  task: Task | undefined,
): string | undefined {
  if (!task) return undefined;
  const cause = taskCause(task, task.containerId ? state.facts[task.containerId] : undefined);
  return cause ? causeText(cause) : undefined;
}
