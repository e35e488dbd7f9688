import { createStore } from 'zustand/vanilla';
import type { ContainerUsage } from '../domain/types.js';
import type { FaultRecord } from '../domain/fault.js';
import { usageCells } from '../format/task-rows.js';
import {
  PANES,
  type DeckActions,
  type DeckState,
  type DeckStore,
  type GameDayRecord,
  type UiState,
} from './state.js';
import { keepKnown } from './known-containers.js';
import { fieldActions } from './field-actions.js';
import { viewActions } from './view-actions.js';
import { logActions } from './log-actions.js';
import { timerActions } from './timer-actions.js';
import {
  selectedService,
  selectedSlots,
  selectedTaskRow,
  showsSeconds,
  taskRows,
  visibleServices,
} from './selectors.js';
import { traitsOf } from '../faults/registry.js';

// The state's types live in state.ts (selectors and actions import them without a cycle).
export * from './state.js';

const ACTIVITY_KEPT = 50;

/** Creates a fresh store (one per console, one per test). */
export function createDeckStore(
  initial: Partial<Pick<UiState, 'size' | 'color'>> & {
    modes?: DeckState['modes'];
    recorder?: GameDayRecord;
  } = {},
): DeckStore {
  const { recorder } = initial;
  return createStore<DeckState>()((set, get) => {
    const setUi = (patch: Partial<UiState>) => set((s) => ({ ui: { ...s.ui, ...patch } }));

    const moveService = (index: (current: number, length: number) => number) => {
      const list = visibleServices(get());
      if (list.length === 0) return;
      const current = Math.max(
        0,
        list.findIndex((s) => s.id === selectedService(get())?.id),
      );
      const next = list[Math.min(list.length - 1, Math.max(0, index(current, list.length)))]!;
      setUi({ selectedServiceId: next.id, selectedTaskId: undefined, followSlot: undefined });
    };

    const moveTask = (index: (current: number, length: number) => number) => {
      const rows = taskRows(selectedSlots(get()));
      if (rows.length === 0) return;
      const currentId = selectedTaskRow(get())?.task.id;
      const current = Math.max(
        0,
        rows.findIndex((r) => r.task.id === currentId),
      );
      const next = rows[Math.min(rows.length - 1, Math.max(0, index(current, rows.length)))]!;
      setUi({
        selectedTaskId: next.task.id,
        followSlot: next.isCurrent ? next.slotName : undefined,
      });
    };

    const moveBy = (index: (current: number, length: number) => number) => {
      const pane = get().ui.pane;
      if (pane === 'services') moveService(index);
      else if (pane === 'tasks') moveTask(index);
    };

    const actions: DeckActions = {
      setEngine: (engine) => set({ engine }),
      setEvented: (evented) => set({ evented }),
      setVia: (via) => set({ via }),
      setConnection: (connection, error) =>
        set({ connection, connectionError: error, stale: connection !== 'live' }),
      setSwarm: ({ services, tasks, listed, nodes, at }) =>
        set((s) => {
          // A calm poll (nothing new, not stale): the same state, so nothing re-renders.
          if (!services && !tasks && !listed && !nodes && !s.stale && s.lastSync) return s;
          return {
            services: services ?? s.services,
            tasks: tasks ?? s.tasks,
            listed: listed ?? s.listed,
            nodes: nodes ?? s.nodes,
            // The header shows "last update" only when stale: no need to redraw for it otherwise.
            ...(s.stale || !s.lastSync || services || tasks || nodes ? { lastSync: at } : {}),
            ...(tasks ? { health: keepKnown(s.health, tasks) } : {}),
          };
        }),
      setHealth: (containerId, view) =>
        set((s) => ({ health: { ...s.health, [containerId]: view } })),
      setUsage: (usage) => {
        const before = get().usage;
        const cells = (u: Record<string, ContainerUsage>, id: string) =>
          JSON.stringify(usageCells(u[id]));
        const ids = new Set([...Object.keys(before), ...Object.keys(usage)]);
        if ([...ids].every((id) => cells(before, id) === cells(usage, id))) return;
        set({ usage });
      },
      setReach: (name, reach) => set((s) => ({ reach: { ...s.reach, [name]: reach } })),
      setFacts: (facts) => set({ facts }),
      move: (delta) => moveBy((i) => i + delta),
      moveTo: (where) => moveBy((_, length) => (where === 'top' ? 0 : length - 1)),
      cyclePane: (step) => {
        const i = PANES.indexOf(get().ui.pane);
        setUi({ pane: PANES[(i + step + PANES.length) % PANES.length]! });
      },
      focus: (pane) => setUi({ pane }),
      back: () => {
        const { ui } = get();
        if (ui.help) setUi({ help: false });
        else if (ui.pane !== 'services') setUi({ pane: 'services' });
        else if (ui.filter) setUi({ filter: '' });
      },
      ...fieldActions(set, get, recorder),
      ...logActions(set, get),
      ...viewActions(set, get),
      toggleHelp: (open) => setUi({ help: open ?? !get().ui.help, helpTop: 0 }),
      scrollHelp: (delta, max) =>
        setUi({ helpTop: Math.max(0, Math.min(max, get().ui.helpTop + delta)) }),
      resize: (columns, rows) => setUi({ size: { columns, rows } }),
      setFaults: (faults) => set({ faults }),
      setOthersFaults: (othersFaults) =>
        set((s) =>
          // Unchanged lists keep the state as it is: no redraw every two seconds for nothing.
          sameFaults(s.othersFaults, othersFaults) ? s : { othersFaults },
        ),
      ...timerActions(set, recorder),
      writeReport: () => {
        if (!recorder) return get().actions.setNotice('no journal in this console', 'warn');
        recorder.report().then(
          (files) => get().actions.setNotice(`report written: ${files.join(', ')}`, 'good'),
          (error: unknown) =>
            get().actions.setNotice(`report not written: ${(error as Error).message}`, 'bad'),
        );
      },
      setRecoveries: (recoveries) => set({ recoveries, now: Date.now() }),
      setNodeRecovery: (nodeRecovery) => set({ nodeRecovery }),
      pushActivity: (entry) =>
        set((s) => ({ activity: [...s.activity, entry].slice(-ACTIVITY_KEPT) })),
      setDialog: (dialog) => set({ dialog }),
      setExperiment: (update) => set((s) => ({ experiment: update(s.experiment) })),
      setNotice: (text, tone) => set({ notice: { text, tone, at: Date.now() } }),
      tick: (now) => {
        // Redraw for the clock only when a shown age changes: each second while something shows
        // seconds, else when the minute turns.
        const s = get();
        const ticking =
          // Countdowns and the age of a pause in the health pane.
          s.faults.some((f) => f.endsAt || traitsOf(f.kind).freezes) ||
          // Another's fault: its countdown, and its holder's silence (gone after 30 s).
          s.othersFaults.length > 0 ||
          s.recoveries.some((r) => r.convergedAt === undefined) ||
          s.stopwatch.lapStart !== undefined ||
          // The sparklines move with the clock while probes sample.
          (s.samples.length > 0 && now - s.samples[s.samples.length - 1]!.at < 61_000) ||
          showsSeconds(s, now);
        if (ticking || Math.floor(now / 60_000) !== Math.floor(s.now / 60_000)) set({ now });
      },
    };

    return {
      connection: 'connecting',
      stale: false,
      evented: new Set(),
      now: Date.now(),
      services: [],
      tasks: [],
      nodes: [],
      health: {},
      facts: {},
      usage: {},
      reach: {},
      faults: [],
      othersFaults: [],
      recoveries: [],
      samples: [],
      windows: [],
      stopwatch: { action: 'manual' },
      activity: [],
      modes: initial.modes ?? { readOnly: false, dryRun: false },
      ui: {
        pane: 'services',
        filter: '',
        sort: 'name',
        history: [],
        help: false,
        helpTop: 0,
        size: initial.size ?? { columns: 80, rows: 24 },
        color: initial.color ?? true,
      },
      actions,
    };
  });
}

/** The same faults in the same states (ids and statuses): nothing to redraw. */
function sameFaults(a: readonly FaultRecord[], b: readonly FaultRecord[]): boolean {
  return a.length === b.length && a.every((f, i) => f.id === b[i]!.id && f.status === b[i]!.status);
}
