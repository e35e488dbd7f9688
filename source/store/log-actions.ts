import { selectedTaskRow } from './selectors.js';
import { LOG_LINES_KEPT, TASK_PANES, type DeckActions, type DeckState } from './state.js';

type SetState = (partial: Partial<DeckState> | ((s: DeckState) => Partial<DeckState>)) => void;
type GetState = () => DeckState;

/** The logs view's actions (`L`): which container, its lines, where the view is. */
export function logActions(
  set: SetState,
  get: GetState,
): Pick<DeckActions, 'openLogs' | 'closeLogs' | 'appendLogs' | 'endLogs' | 'scrollLogs'> {
  const mine = (containerId: string) => get().logs?.containerId === containerId;
  return {
    openLogs: () => {
      const state = get();
      const row = selectedTaskRow(state);
      if (!TASK_PANES.includes(state.ui.pane) || !row)
        return state.actions.setNotice(
          'L shows a task’s logs: select one in the tasks pane',
          'dim',
        );
      if (!row.task.containerId)
        return state.actions.setNotice(`${row.slotName} has no container (yet)`, 'warn');
      set({
        logs: {
          containerId: row.task.containerId,
          nodeId: row.task.nodeId,
          slotName: row.slotName,
          lines: [],
          search: '',
        },
      });
    },
    closeLogs: () => set({ logs: undefined }),
    appendLogs: (containerId, lines) => {
      if (!mine(containerId) || lines.length === 0) return;
      set((s) => {
        const logs = s.logs!;
        const all = [...logs.lines, ...lines];
        const cut = Math.max(0, all.length - LOG_LINES_KEPT);
        // A view held still stays on the same lines while older ones are dropped.
        const top = logs.top === undefined ? undefined : Math.max(0, logs.top - cut);
        return { logs: { ...logs, lines: cut ? all.slice(cut) : all, top } };
      });
    },
    endLogs: (containerId, error) => {
      if (!mine(containerId)) return;
      set((s) => ({ logs: { ...s.logs!, ended: error ? { error } : {} } }));
    },
    scrollLogs: (to, rows) => {
      const logs = get().logs;
      if (!logs) return;
      const last = Math.max(0, logs.lines.length - rows);
      const from = logs.top ?? last;
      const next = to === 'top' ? 0 : to === 'end' ? last : Math.max(0, Math.min(last, from + to));
      // At the end the view follows what the container prints next.
      set({ logs: { ...logs, top: next >= last ? undefined : next } });
    },
  };
}

/** The line a search lands on: the latest line containing the text (case-insensitive). */
export function latestMatch(lines: { text: string }[], search: string): number | undefined {
  if (!search) return undefined;
  const needle = search.toLowerCase();
  for (let i = lines.length - 1; i >= 0; i--)
    if (lines[i]!.text.toLowerCase().includes(needle)) return i;
  return undefined;
}
