import type { ManagerSwitch } from '../domain/manager-switch.js';
import type { NodeRecovery } from '../domain/node-recovery.js';
import type { StoreApi } from 'zustand/vanilla';
import type { FaultRecord } from '../domain/fault.js';
import type { FaultWindow, LatencySample } from '../domain/latency.js';
import type { RecoveryEpisode } from '../domain/recovery.js';
import type { ContainerFacts } from '../domain/task-cause.js';
import type {
  ContainerHealth,
  ContainerUsage,
  NodeReach,
  EngineInfo,
  LogLine,
  Service,
  SwarmNode,
  Task,
} from '../domain/types.js';
import type { ServiceSort } from './command-line.js';
import type { Dialog } from './dialog.js';
import type { TextField } from './text-field.js';

/** Panes where a task is selected: fault keys and fault commands act there, and only there. */
export const TASK_PANES: readonly Pane[] = ['tasks', 'health'];

/** The focusable panes, in Tab order. */
export const PANES = ['services', 'tasks', 'health', 'timers', 'activity', 'nodes'] as const;
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
  /** How the services list is sorted (`:sort`). */
  sort: ServiceSort;
  /** The one text field being typed in (filter, note, action name, command line), if any. */
  field?: OpenField;
  /** Command lines run this run, oldest first (↑/↓ in `:` recall them). */
  history: string[];
  help: boolean;
  /** The first help line shown (help scrolls where it does not fit). */
  helpTop: number;
  size: { columns: number; rows: number };
  color: boolean;
}

/**
 * What a footer text field is for: `/` filter, `N` note, `l` action name, `:` command, `/` in
 * the logs: a search.
 */
export type FieldPurpose = 'filter' | 'note' | 'name' | 'command' | 'search';

/** The open text field and what Enter does with it. */
export interface OpenField extends TextField {
  purpose: FieldPurpose;
  /** Which history line the command line shows (undefined: the line being typed). */
  recalled?: number;
  /** The line being typed before ↑ recalled an older one (↓ past the newest brings it back). */
  draft?: string;
}

/** Lines kept of a container's logs (`L`): the last 200 to start, then what it prints. */
export const LOG_LINES_KEPT = 2000;

/** The logs view (`L`) of one container. */
export interface LogView {
  containerId: string;
  nodeId: string;
  slotName: string;
  lines: LogLine[];
  /** The first line shown; undefined while following the end. */
  top?: number;
  /** Lines containing it are marked, and the view jumps to the first (`/`). */
  search: string;
  /** The stream ended (the container stopped) or failed. */
  ended?: { error?: string };
}

/** An experiment the console runs (`R`): its progress lines and, once done, its verdict. */
export interface ExperimentView {
  title: string;
  file: string;
  lines: string[];
  running: boolean;
  verdict?: string;
  ok?: boolean;
}

/** The whole console state. */
export interface DeckState {
  engine?: EngineInfo;
  connection: ConnectionState;
  connectionError?: string;
  /** While the swarm is followed through another manager than the one chaosdeck started with. */
  via?: ManagerSwitch;
  /** True when what is shown may be out of date (connection lost). */
  stale: boolean;
  /** Nodes (ids) whose container events reach the console now: a change there is told at once. */
  evented: ReadonlySet<string>;
  lastSync?: number;
  /** The clock the ages on screen are computed from (ticked from outside). */
  now: number;
  services: Service[];
  /** The tasks of the services in `listed` (every service's when `listed` is undefined). */
  tasks: Task[];
  /** Services whose tasks the last poll listed; undefined before the first. */
  listed?: ReadonlySet<string>;
  nodes: SwarmNode[];
  health: Record<string, HealthView>;
  /** The latest stats sample of the selected service's running containers, while shown. */
  usage: Record<string, ContainerUsage>;
  /** How each node with its own endpoint is reached, by node name (the rest: manager or none). */
  reach: Record<string, NodeReach>;
  /**
   * What the run knows of containers (OOM, unhealthy, kills, deaths): why their tasks ended.
   * The game day's record, mirrored (console/run-link.ts).
   */
  facts: Record<string, ContainerFacts>;
  ui: UiState;
  /** Faults this console holds (active or failed to undo). */
  faults: FaultRecord[];
  /** Faults the swarm holds that this console does not: another console's or machine's (owner set). */
  othersFaults: FaultRecord[];
  /** Recoveries seen since the console started, oldest first. */
  recoveries: RecoveryEpisode[];
  /** The latest node cut off by a partition from this console, as Swarm handled it so far. */
  nodeRecovery?: NodeRecovery;
  /** Probe samples and manual laps, oldest first (bounded). */
  samples: LatencySample[];
  /** Fault and delay windows, for tagging samples before / during / after. */
  windows: FaultWindow[];
  /** The manual stopwatch: the action being timed and, while a lap runs, when it started. */
  stopwatch: { action: string; lapStart?: number };
  /** Latest audit entries, newest last. */
  activity: ActivityEntry[];
  dialog?: Dialog;
  /** The experiment running or last run from the console. */
  experiment?: ExperimentView;
  /** The logs view, while open. */
  logs?: LogView;
  notice?: { text: string; tone: NoticeTone; at: number };
  /** How this console was started; `context` is the docker context it connected through. */
  modes: { readOnly: boolean; dryRun: boolean; context?: string; version?: string };
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

/** Everything that changes the state. */
export interface DeckActions {
  setEngine(engine: EngineInfo): void;
  setConnection(connection: ConnectionState, error?: string): void;
  /** The swarm is followed through another manager (a switch away), or back (undefined). */
  setVia(via: ManagerSwitch | undefined): void;
  setEvented(nodeIds: ReadonlySet<string>): void;
  setSwarm(update: {
    services?: Service[];
    tasks?: Task[];
    listed?: ReadonlySet<string>;
    nodes?: SwarmNode[];
    at: number;
  }): void;
  setHealth(containerId: string, view: HealthView): void;
  /** A round of stats samples; a round that changes no cell on screen redraws nothing. */
  setUsage(usage: Record<string, ContainerUsage>): void;
  /** A node's endpoint started or stopped answering. */
  setReach(nodeName: string, reach: NodeReach): void;
  /** The run's container facts, as it has them now. */
  setFacts(facts: Record<string, ContainerFacts>): void;
  move(delta: number): void;
  moveTo(where: 'top' | 'bottom'): void;
  cyclePane(step: 1 | -1): void;
  focus(pane: Pane): void;
  back(): void;
  /** Sets the services filter (and the filter field's text when it is open). */
  editFilter(text: string): void;
  /** Opens a text field (`/`, `N`, `l`, `:`); its default, if any, is selected. */
  openField(purpose: FieldPurpose): void;
  /** The open field after an edit (a filter applies as it is typed). */
  editOpenField(field: TextField): void;
  /** ↑ (-1) / ↓ (+1) in the command line: an older or newer line from this run's history. */
  recallCommand(step: -1 | 1): void;
  /**
   * Enter: a filter stays, a note goes to the journal, a name names the timed action; the
   * field closes. Returns what was committed (the caller runs a command line).
   */
  commitField(): { purpose: FieldPurpose; text: string } | undefined;
  /** L: opens the selected task's container logs (undefined: says why not). */
  openLogs(): void;
  closeLogs(): void;
  /** Lines the stream delivered (the view keeps the last LOG_LINES_KEPT). */
  appendLogs(containerId: string, lines: LogLine[]): void;
  /** The stream ended (the container stopped) or failed. */
  endLogs(containerId: string, error?: string): void;
  /** Scrolls the logs by `delta` lines, or to the top / the followed end. */
  scrollLogs(to: number | 'top' | 'end', rows: number): void;
  /** Adds a note to the game-day journal (N, `:note`). */
  addNote(text: string): void;
  /** Esc: the field closes; a filter typed is cleared. */
  cancelField(): void;
  /** `:sort`: orders the services by name, shortfall of replicas, or latest change. */
  sortServices(by: ServiceSort): void;
  /** `:svc NAME`: selects the service named (exactly, else the one whose name contains it). */
  jumpToService(name: string): boolean;
  toggleHelp(open?: boolean): void;
  /** Scrolls the help by `delta` lines (clamped by the overlay). */
  scrollHelp(delta: number, max: number): void;
  resize(columns: number, rows: number): void;
  tick(now: number): void;
  setFaults(faults: FaultRecord[]): void;
  setOthersFaults(faults: FaultRecord[]): void;
  setRecoveries(recoveries: RecoveryEpisode[]): void;
  setNodeRecovery(recovery: NodeRecovery): void;
  addSample(sample: LatencySample): void;
  /** Opens a window, or closes it when `end` is given. */
  upsertWindow(window: FaultWindow): void;
  /** space: starts a lap, or stops it and records it as a sample of the current action. */
  toggleLap(now: number): void;
  pushActivity(entry: ActivityEntry): void;
  setDialog(dialog: Dialog | undefined): void;
  /** Starts, updates or clears the experiment view. */
  setExperiment(update: (prev: ExperimentView | undefined) => ExperimentView | undefined): void;
  setNotice(text: string, tone: NoticeTone): void;
  /** E: writes the game-day report now and says where. */
  writeReport(): void;
}

/** Where the console's record goes: the game day's journal (absent in tests of the view). */
export interface GameDayRecord {
  recordSample(sample: LatencySample, source: 'probe' | 'lap'): void;
  note(text: string): void;
  /** Writes the report of the journal so far; resolves to the files written. */
  report(): Promise<string[]>;
}

/** A chaosdeck store. */
export type DeckStore = StoreApi<DeckState>;
