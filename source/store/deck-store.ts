import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ContainerHealth, EngineInfo, Service, SwarmNode, Task } from '../domain/types.js';
import type { FaultRecord } from '../domain/fault.js';
import type { RecoveryEpisode } from '../domain/recovery.js';
import type { FaultWindow, LatencySample } from '../domain/latency.js';
import type { Dialog } from './dialog.js';
import { timerActions } from './timer-actions.js';
import {
  selectedService,
  selectedSlots,
  selectedTaskRow,
  showsSeconds,
  taskRows,
  visibleServices,
} from './selectors.js';

/** The focusable panes, in Tab order. */
export const PANES = ['services', 'tasks', 'health', 'timers', 'activity'] as const;
/** One of the focusable panes. */
export type Pane = (typeof PANES)[number];

/** What the health pane knows about a container. */
export type HealthView =
  | { kind: 'ok'; health: ContainerHealth; at: number }
  | { kind: 'remote'; nodeName: string }
  | { kind: 'gone' }
  | { kind: 'error'; message: string };

/** Connection to the engine, as the header shows it. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** UI state: focus, selection, filter, overlays and the terminal size. */
export interface UiState {
  pane: Pane;
  selectedServiceId?: string;
  selectedTaskId?: string;
  /** While set, the selection follows this slot's current task (a replacement is selected). */
  followSlot?: string;
  filter: string;
  /** The filter being typed after `/`; undefined when not editing. */
  filterDraft?: string;
  /** The journal note being typed after `N`; undefined when not editing. */
  noteDraft?: string;
  help: boolean;
  size: { columns: number; rows: number };
  color: boolean;
}

/** The whole console state. */
export interface DeckState {
  engine?: EngineInfo;
  connection: ConnectionState;
  connectionError?: string;
  /** True when what is shown may be out of date (connection lost). */
  stale: boolean;
  lastSync?: number;
  /** The clock the ages on screen are computed from (ticked from outside). */
  now: number;
  services: Service[];
  tasks: Task[];
  nodes: SwarmNode[];
  health: Record<string, HealthView>;
  ui: UiState;
  /** Faults this console holds (active or failed to undo). */
  faults: FaultRecord[];
  /** Recoveries seen since the console started, oldest first. */
  recoveries: RecoveryEpisode[];
  /** Probe samples and manual laps, oldest first (bounded). */
  samples: LatencySample[];
  /** Fault and delay windows, for tagging samples before / during / after. */
  windows: FaultWindow[];
  /** The manual stopwatch: the action being timed and, while a lap runs, when it started. */
  stopwatch: { action: string; lapStart?: number; naming?: string };
  /** Latest audit entries, newest last. */
  activity: ActivityEntry[];
  dialog?: Dialog;
  notice?: { text: string; tone: NoticeTone; at: number };
  modes: { readOnly: boolean; dryRun: boolean };
  actions: DeckActions;
}

/** A line of the activity pane (an audit entry, as much as the pane shows). */
export interface ActivityEntry {
  time: string;
  action: string;
  target?: string;
  result: string;
  error?: string;
}

/** How a notice is coloured. */
export type NoticeTone = 'good' | 'bad' | 'warn' | 'dim' | 'accent';

const ACTIVITY_KEPT = 50;

/** Everything that changes the state. */
export interface DeckActions {
  setEngine(engine: EngineInfo): void;
  setConnection(connection: ConnectionState, error?: string): void;
  setSwarm(update: { services?: Service[]; tasks?: Task[]; nodes?: SwarmNode[]; at: number }): void;
  setHealth(containerId: string, view: HealthView): void;
  move(delta: number): void;
  moveTo(where: 'top' | 'bottom'): void;
  cyclePane(step: 1 | -1): void;
  focus(pane: Pane): void;
  back(): void;
  startFilter(): void;
  editFilter(text: string): void;
  commitFilter(): void;
  cancelFilter(): void;
  toggleHelp(open?: boolean): void;
  resize(columns: number, rows: number): void;
  tick(now: number): void;
  setFaults(faults: FaultRecord[]): void;
  setRecoveries(recoveries: RecoveryEpisode[]): void;
  addSample(sample: LatencySample): void;
  /** Opens a window, or closes it when `end` is given. */
  upsertWindow(window: FaultWindow): void;
  /** space: starts a lap, or stops it and records it as a sample of the current action. */
  toggleLap(now: number): void;
  /** l: starts naming the action; then edit, commit (Enter) or cancel (Esc). */
  startNaming(): void;
  editNaming(text: string): void;
  commitNaming(): void;
  cancelNaming(): void;
  pushActivity(entry: ActivityEntry): void;
  setDialog(dialog: Dialog | undefined): void;
  setNotice(text: string, tone: NoticeTone): void;
  /** N: starts a journal note; then edit, commit (Enter: written to the journal) or cancel. */
  startNote(): void;
  editNote(text: string): void;
  commitNote(): void;
  cancelNote(): void;
  /** E: writes the game-day report now and says where. */
  writeReport(): void;
}

/** Where the console's record goes: the session core's journal (absent in tests of the view). */
export interface Recorder {
  recordSample(sample: LatencySample, source: 'probe' | 'lap'): void;
  note(text: string): void;
  /** Writes the report of the journal so far; resolves to the files written. */
  report(): Promise<string[]>;
}

/** A chaosdeck store. */
export type DeckStore = StoreApi<DeckState>;

/**
 * Health of containers the task list still knows; Swarm forgets old tasks (task history
 * limit), and a long game day would otherwise keep every killed container's health forever.
 */
function keepKnown(health: Record<string, HealthView>, tasks: Task[]): Record<string, HealthView> {
  const known = new Set(tasks.map((t) => t.containerId));
  const ids = Object.keys(health);
  if (ids.every((id) => known.has(id))) return health;
  return Object.fromEntries(ids.filter((id) => known.has(id)).map((id) => [id, health[id]!]));
}

/** Creates a fresh store (one per console, one per test). */
export function createDeckStore(
  initial: Partial<Pick<UiState, 'size' | 'color'>> & {
    modes?: DeckState['modes'];
    recorder?: Recorder;
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
      setConnection: (connection, error) =>
        set({ connection, connectionError: error, stale: connection !== 'live' }),
      setSwarm: ({ services, tasks, nodes, at }) =>
        set((s) => ({
          services: services ?? s.services,
          tasks: tasks ?? s.tasks,
          nodes: nodes ?? s.nodes,
          // The header shows "last update" only when stale: no need to redraw for it otherwise.
          ...(s.stale || !s.lastSync || services || tasks || nodes ? { lastSync: at } : {}),
          ...(tasks ? { health: keepKnown(s.health, tasks) } : {}),
        })),
      setHealth: (containerId, view) =>
        set((s) => ({ health: { ...s.health, [containerId]: view } })),
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
      startFilter: () => setUi({ filterDraft: get().ui.filter, pane: 'services' }),
      editFilter: (text) => {
        setUi({ filterDraft: text, filter: text });
      },
      commitFilter: () => setUi({ filterDraft: undefined }),
      cancelFilter: () => setUi({ filterDraft: undefined, filter: '' }),
      toggleHelp: (open) => setUi({ help: open ?? !get().ui.help }),
      resize: (columns, rows) => setUi({ size: { columns, rows } }),
      setFaults: (faults) => set({ faults }),
      ...timerActions(set, recorder),
      startNote: () => setUi({ noteDraft: '' }),
      editNote: (text) => setUi({ noteDraft: text }),
      commitNote: () => {
        const text = get().ui.noteDraft?.trim();
        setUi({ noteDraft: undefined });
        if (!text) return;
        if (!recorder) return get().actions.setNotice('no journal in this console', 'warn');
        recorder.note(text);
        get().actions.setNotice(`note added to the journal: ${text}`, 'dim');
      },
      cancelNote: () => setUi({ noteDraft: undefined }),
      writeReport: () => {
        if (!recorder) return get().actions.setNotice('no journal in this console', 'warn');
        recorder.report().then(
          (files) => get().actions.setNotice(`report written: ${files.join(', ')}`, 'good'),
          (error: unknown) =>
            get().actions.setNotice(`report not written: ${(error as Error).message}`, 'bad'),
        );
      },
      setRecoveries: (recoveries) => set({ recoveries, now: Date.now() }),
      pushActivity: (entry) =>
        set((s) => ({ activity: [...s.activity, entry].slice(-ACTIVITY_KEPT) })),
      setDialog: (dialog) => set({ dialog }),
      setNotice: (text, tone) => set({ notice: { text, tone, at: Date.now() } }),
      tick: (now) => {
        // Redraw for the clock only when a shown age changes: each second while something shows
        // seconds, else when the minute turns.
        const s = get();
        const ticking =
          // Countdowns and the age of a pause in the health pane.
          s.faults.some((f) => f.endsAt || f.kind === 'pause') ||
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
      now: Date.now(),
      services: [],
      tasks: [],
      nodes: [],
      health: {},
      faults: [],
      recoveries: [],
      samples: [],
      windows: [],
      stopwatch: { action: 'manual' },
      activity: [],
      modes: initial.modes ?? { readOnly: false, dryRun: false },
      ui: {
        pane: 'services',
        filter: '',
        help: false,
        size: initial.size ?? { columns: 80, rows: 24 },
        color: initial.color ?? true,
      },
      actions,
    };
  });
}
