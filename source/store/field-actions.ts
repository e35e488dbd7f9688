import type { DeckActions, DeckState, FieldPurpose, GameDayRecord, UiState } from './state.js';
import { latestMatch } from './log-actions.js';
import { textField } from './text-field.js';

// Command lines kept for ↑/↓ in `:`.
const HISTORY_KEPT = 100;

type SetState = (partial: Partial<DeckState> | ((s: DeckState) => Partial<DeckState>)) => void;
type GetState = () => DeckState;

/** The text a field opens with, and whether it is a default that typing replaces. */
function opening(state: DeckState, purpose: FieldPurpose): { text: string; selected: boolean } {
  switch (purpose) {
    case 'filter':
      return { text: state.ui.filter, selected: true };
    case 'name':
      return { text: state.stopwatch.action, selected: true };
    case 'search':
      return { text: state.logs?.search ?? '', selected: true };
    default:
      return { text: '', selected: false };
  }
}

/** The text fields' actions: one field open at a time, held in the store. */
export function fieldActions(
  set: SetState,
  get: GetState,
  recorder?: GameDayRecord,
): Pick<
  DeckActions,
  | 'editFilter'
  | 'openField'
  | 'editOpenField'
  | 'recallCommand'
  | 'commitField'
  | 'addNote'
  | 'cancelField'
> {
  const setUi = (ui: Partial<UiState>) => set((s) => ({ ui: { ...s.ui, ...ui } }));
  return {
    editFilter: (text) => {
      const { field } = get().ui;
      setUi({
        filter: text,
        ...(field?.purpose === 'filter' ? { field: { ...field, ...textField(text) } } : {}),
      });
    },
    openField: (purpose) => {
      const { text, selected } = opening(get(), purpose);
      // The filter acts on the services: the cursor goes there to show what it keeps.
      setUi({
        field: { purpose, ...textField(text, selected) },
        ...(purpose === 'filter' ? { pane: 'services' as const } : {}),
      });
    },
    editOpenField: (next) => {
      const { field } = get().ui;
      if (!field) return;
      setUi({
        field: { ...next, purpose: field.purpose },
        ...(field.purpose === 'filter' ? { filter: next.text } : {}),
      });
    },
    recallCommand: (step) => {
      const { field, history } = get().ui;
      if (field?.purpose !== 'command' || history.length === 0) return;
      const at = Math.max(0, Math.min(history.length, (field.recalled ?? history.length) + step));
      const draft = field.recalled === undefined ? field.text : field.draft;
      const text = at === history.length ? (draft ?? '') : history[at]!;
      setUi({
        field: {
          purpose: 'command',
          ...textField(text),
          ...(at < history.length ? { recalled: at } : {}),
          ...(draft !== undefined ? { draft } : {}),
        },
      });
    },
    commitField: () => {
      const { field, history } = get().ui;
      if (!field) return undefined;
      const text = field.text.trim();
      // Like a shell: every line run, the same one twice in a row kept once.
      const remember = field.purpose === 'command' && text && history.at(-1) !== text;
      setUi({
        field: undefined,
        ...(remember ? { history: [...history, text].slice(-HISTORY_KEPT) } : {}),
      });
      if (field.purpose === 'search') {
        const logs = get().logs;
        if (logs) {
          const at = latestMatch(logs.lines, text);
          set({ logs: { ...logs, search: text, ...(at !== undefined ? { top: at } : {}) } });
          if (text && at === undefined)
            get().actions.setNotice(`"${text}" is not in the logs`, 'dim');
        }
      } else if (field.purpose === 'name') {
        // Empty keeps the current name.
        if (text) set((s) => ({ stopwatch: { ...s.stopwatch, action: text } }));
      } else if (field.purpose === 'note' && text) get().actions.addNote(text);
      return { purpose: field.purpose, text };
    },
    addNote: (text) => {
      if (!recorder) return get().actions.setNotice('no journal in this console', 'warn');
      recorder.note(text);
      get().actions.setNotice(`note added to the journal: ${text}`, 'dim');
    },
    cancelField: () => {
      const { field } = get().ui;
      setUi({ field: undefined, ...(field?.purpose === 'filter' ? { filter: '' } : {}) });
    },
  };
}
