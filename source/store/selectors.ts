import { matchesFilter, parseFilter } from '../domain/filter.js';
import { groupTaskSlots, type TaskSlot } from '../domain/task-slots.js';
import type { Service, Task } from '../domain/types.js';
import type { DeckState } from './deck-store.js';

/** A row of the tasks pane: a slot's current task, or an earlier one indented under it. */
export interface TaskRow {
  task: Task;
  slotName: string;
  isCurrent: boolean;
}

/** Services after the filter, sorted by name. */
export function visibleServices(state: Pick<DeckState, 'services' | 'ui'>): Service[] {
  const filter = parseFilter(state.ui.filter);
  return state.services
    .filter((s) => matchesFilter(filter, s.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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

/** Slots of the selected service, like `docker service ps`. */
export function selectedSlots(
  state: Pick<DeckState, 'services' | 'tasks' | 'nodes' | 'ui'>,
): TaskSlot[] {
  const service = selectedService(state);
  if (!service) return [];
  return groupTaskSlots(service, state.tasks, (id) => nodeName(state, id));
}

/** Flattens slots into rows: each current task followed by its history. */
export function taskRows(slots: TaskSlot[]): TaskRow[] {
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
