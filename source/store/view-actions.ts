import { visibleServices } from './selectors.js';
import type { DeckActions, DeckState, UiState } from './state.js';

type SetState = (partial: Partial<DeckState> | ((s: DeckState) => Partial<DeckState>)) => void;
type GetState = () => DeckState;

/** The services list's order (`:sort`) and jumps to a service by name (`:svc`). */
export function viewActions(
  set: SetState,
  get: GetState,
): Pick<DeckActions, 'sortServices' | 'jumpToService'> {
  const setUi = (patch: Partial<UiState>) => set((s) => ({ ui: { ...s.ui, ...patch } }));
  return {
    sortServices: (by) => setUi({ sort: by }),
    jumpToService: (name) => {
      const { services } = get();
      const exact = services.find((s) => s.name === name);
      const containing = services.filter((s) => s.name.includes(name));
      const service = exact ?? (containing.length === 1 ? containing[0] : undefined);
      if (!service) return false;
      const hidden = !visibleServices(get()).includes(service);
      setUi({
        selectedServiceId: service.id,
        selectedTaskId: undefined,
        followSlot: undefined,
        pane: 'tasks',
        // A filter that hides the service would hide the jump too.
        ...(hidden ? { filter: '' } : {}),
      });
      return true;
    },
  };
}
