import type { NodeRecovery } from '../domain/node-recovery.js';
import { hostname } from 'node:os';
import {
  ChaosController,
  type ChaosOptions,
  type FaultEvent,
  type UndoResult,
  type UndoSummary,
} from '../chaos/controller.js';
import { checkGuards, type GuardResult, type GuardSettings } from '../chaos/guards.js';
import { currentUser, type AuditLog } from '../chaos/audit.js';
import type { Ledger } from '../chaos/ledger.js';
import type { FaultPorts } from '../faults/fault-ports.js';
import type { FaultRequest } from '../faults/prepare.js';
import type { FaultRecord } from '../domain/fault.js';
import { momentEnd, type FaultWindow, type LatencySample } from '../domain/latency.js';
import type { RecoveryEpisode } from '../domain/recovery.js';
import type { ContainerFacts, TaskCause } from '../domain/task-cause.js';
import type {
  ContainerHealth,
  EngineEvent,
  EngineInfo,
  Service,
  SwarmNode,
  Task,
} from '../domain/types.js';
import { RecoveryTracker, type TaskCoverage } from '../live/recovery-tracker.js';
import { writeReportBeside } from '../record/write-report.js';
import type { GameDayFaults } from './game-day-faults.js';
import { CauseFacts } from './cause-facts.js';
import { otherReplicas } from './guard-facts.js';
import type { Journal } from './journal.js';
import {
  runServiceAction,
  type ServiceAction,
  type ServiceActionResult,
} from './service-actions.js';
import { faultEventLine, journalTarget } from '../record/journal-events.js';
import { lostTargets } from './lost-targets.js';
import { TaskJournal } from './task-journal.js';
import { faultModule, traitsOf } from '../faults/registry.js';

/** What a game day needs: engines, the ledger and logs, and the guards' settings. */
export interface GameDayOptions extends FaultPorts {
  ledger: Ledger;
  /** The swarm's ledger (every fault recorded there too, for every operator to see). */
  cluster?: ChaosOptions['cluster'];
  /** The cluster's watchdogs for the faults applied here (none with --no-watchdog). */
  watchdogs?: ChaosOptions['watchdogs'];
  audit: AuditLog;
  journal: Journal;
  guards: GuardSettings;
  dryRun: boolean;
  /** The package version, for the journal's first line. */
  version: string;
  /** A record that could not be written after a change was made (the ledger on a full disk). */
  warn?: (message: string) => void;
}

/** What changed in a run, for a front end to show. */
export type SessionChange =
  | { type: 'faults'; faults: FaultRecord[] }
  | { type: 'recoveries'; recoveries: RecoveryEpisode[] }
  | { type: 'window'; window: FaultWindow }
  /** A fault was applied. */
  | { type: 'applied'; record: FaultRecord }
  /** A fault ended with its target (the task died or Swarm removed it): nothing to put back. */
  | { type: 'settled'; record: FaultRecord; why: string }
  /** What the run knows of containers grew: read it with `containerFacts()`. */
  | { type: 'facts' };

/**
 * One game day, whichever front end drives it (the console or a command): the faults it holds
 * (the controller is their one source of truth, with the ledger behind it), the recoveries it saw,
 * the samples and notes, and the journal every one of them is written to as it happens.
 * It knows nothing of Ink; front ends subscribe to its changes.
 */
export class GameDay implements GameDayFaults {
  private readonly chaos: ChaosController;
  private readonly tracker: RecoveryTracker;
  private readonly tasks: TaskJournal;
  private readonly listeners = new Set<(change: SessionChange) => void>();
  private readonly samples: LatencySample[] = [];
  private readonly windows: FaultWindow[] = [];
  private readonly who = currentUser();
  private written = 0;
  private readonly outcomes = new Map<string, 'undone' | 'gone' | 'died' | 'failed'>();
  private readonly causes = new CauseFacts(() => this.emit({ type: 'facts' }));
  private readonly nodeNames = new Map<string, string>();
  private readonly settling = new Set<string>();
  /** Kills and stops whose window lasts until Swarm converged: window id → service id. */
  private readonly moments = new Map<string, string>();
  // A node not listed yet keeps the short id `docker service ps` would show.
  private readonly nodeName = (id: string) => this.nodeNames.get(id) ?? id.slice(0, 12);

  constructor(private readonly options: GameDayOptions) {
    this.chaos = new ChaosController({
      ...options,
      onChange: (faults) => this.emit({ type: 'faults', faults }),
      onWindow: (w) => {
        const existing = this.windows.find((x) => x.id === w.id);
        if (existing) Object.assign(existing, w);
        else this.windows.push({ ...w });
        this.log({ type: 'window', window: w });
        this.emit({ type: 'window', window: w });
      },
      onFault: (e) => this.journalFault(e),
      onWarning: (message) => options.warn?.(message),
    });
    // Through log: a recovery (an outside kill Swarm healed) is worth a report on quit too.
    this.tasks = new TaskJournal({ write: (body) => this.log(body) }, options, this.nodeName, (t) =>
      this.causes.causeOf(t),
    );
    this.tracker = new RecoveryTracker({
      healthOf: (task) => this.healthOf(task),
      nodeName: this.nodeName,
      causeOf: (task) => this.causes.causeOf(task),
      onChange: (episodes) => {
        this.tasks.recoveries(episodes);
        this.emit({ type: 'recoveries', recoveries: [...episodes] });
        this.extendMoments(episodes);
      },
    });
  }

  /** The journal file this run writes. */
  get journalFile(): string {
    return this.options.journal.file;
  }

  /** True once anything worth a report happened (a fault, a sample, a note, a recovery). */
  get eventful(): boolean {
    return this.written > 0;
  }

  /**
   * The swarm's nodes as last listed: a global service's slot is named by its node's hostname
   * ("lab_worker.labw2", as the console shows it) in the journal and the recoveries.
   */
  knowNodes(nodes: readonly SwarmNode[]): void {
    for (const n of nodes) this.nodeNames.set(n.id, n.hostname);
  }

  /** Writes the run's first line: who, where, the cluster as it stands. */
  start(mode: string, engine: EngineInfo, nodes: SwarmNode[], services: Service[]): void {
    this.knowNodes(nodes);
    this.options.journal.write({
      type: 'session-start',
      mode,
      who: this.who,
      host: hostname(),
      chaosdeck: this.options.version,
      engine: { node: engine.nodeName, version: engine.version, api: engine.apiVersion },
      nodes: nodes.map((n) => ({
        hostname: n.hostname,
        role: n.role,
        availability: n.availability,
        ready: n.ready,
      })),
      // Names, modes and images only: a spec's environment may hold secrets.
      services: services.map((s) => ({
        name: s.name,
        mode: s.mode,
        desired: s.desired,
        image: s.image,
      })),
    });
  }

  /** Writes the run's last line, in the journal and the audit log. */
  end(code: number, why: string): void {
    this.options.audit.write({
      action: 'exit',
      params: { code, why },
      result: code === 0 ? 'ok' : 'failed',
    });
    this.options.journal.write({ type: 'session-end', code, why });
    this.options.journal.close();
  }

  /** Tells listeners what changed; returns the unsubscribe function. */
  subscribe(listener: (change: SessionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Feeds one snapshot of the manager's lists (with `coverage`, the tasks are those of the
   * covered services only); resolves to the services still recovering (poll those fast).
   */
  async observe(tasks: Task[], services: Service[], coverage?: TaskCoverage): Promise<string[]> {
    this.tasks.observe(tasks, services);
    this.settleLost(tasks, services, coverage);
    await this.tracker.observe(tasks, services, coverage);
    return this.tracker.recoveringServices();
  }

  /**
   * A fault whose container went with its task (killed, OOM, scaled away) is settled at once: its
   * undo finds nothing to put back and says so, instead of the fault staying listed as active.
   */
  private settleLost(tasks: Task[], services: Service[], coverage?: TaskCoverage): void {
    const covered = coverage?.covered ?? new Set(services.map((s) => s.id));
    for (const { record, why } of lostTargets(this.chaos.list(), tasks, services, covered)) {
      if (this.settling.has(record.id)) continue;
      this.settling.add(record.id);
      void this.chaos
        .undo(record.id, why)
        .then((outcome) => {
          if (outcome === 'gone' || outcome === 'died') this.emit({ type: 'settled', record, why });
        })
        .finally(() => this.settling.delete(record.id));
    }
  }

  /** The services this run acts on: those it holds faults on and those it touched. */
  focus(): string[] {
    const ids = new Set(this.tasks.touchedServices());
    for (const f of this.chaos.list()) if (!traitsOf(f.kind).onNode) ids.add(f.target.serviceId);
    return [...ids];
  }

  /**
   * The services whose tasks this run needs listed: those it holds faults on, those it
   * touched (the journal follows their tasks), those recovering and the last one that recovered
   * (the timers pane names why their tasks ended).
   */
  interest(): string[] {
    const ids = new Set(this.focus());
    for (const id of this.tracker.recoveringServices()) ids.add(id);
    const last = [...this.tracker.list()].reverse().find((e) => e.convergedAt !== undefined);
    if (last) ids.add(last.serviceId);
    return [...ids];
  }

  /** Every recovery seen, oldest first. */
  recoveries(): RecoveryEpisode[] {
    return this.tracker.list();
  }

  /**
   * Why a task ended, where the run learnt more than Swarm's exit code: an OOM its journal
   * saw (an event, or the dead container's State.OOMKilled), else its recovery's cause.
   */
  causeOf(taskId: string): TaskCause | undefined {
    if (this.tasks.oomKilled(taskId)) return { kind: 'oom' };
    return this.tracker.list().find((e) => e.failedTaskId === taskId)?.cause;
  }

  /** Faults this run holds, oldest first. */
  list(): FaultRecord[] {
    return this.chaos.list();
  }

  /** Fault windows so far (for before / during / after). */
  faultWindows(): FaultWindow[] {
    return this.windows;
  }

  /** Samples this run recorded. */
  recordedSamples(): LatencySample[] {
    return this.samples;
  }

  /** Records a probe sample or a manual lap. */
  recordSample(sample: LatencySample, source: 'probe' | 'lap'): void {
    this.samples.push(sample);
    if (this.samples.length > 20_000) this.samples.shift();
    this.log({ type: 'sample', source, sample });
  }

  /** Records an operator's note ("login spinner stuck"). */
  note(text: string): void {
    this.log({ type: 'note', who: this.who, text });
  }

  /** Records what became of a node a partition cut off (for the report). */
  nodeRecovered(recovery: NodeRecovery): void {
    this.log({ type: 'node-recovery', recovery });
  }

  /** Records that the swarm is followed through another manager, or back (for the report). */
  managerSwitched(s: { from: string; to: string; home: boolean; reason?: string }): void {
    this.log({
      type: 'manager',
      from: s.from,
      to: s.to,
      home: s.home,
      ...(s.reason ? { reason: s.reason } : {}),
    });
  }

  /** Records an experiment's step (its start, an activity, its verdict) in the journal. */
  experiment(
    phase: 'start' | 'activity' | 'end',
    title: string,
    detail: Record<string, unknown>,
  ): void {
    this.log({ type: 'experiment', phase, title, detail });
  }

  /**
   * An engine event a front end follows (the console's stream): OOM kills go in the journal, and
   * kills, OOMs and health marks name why a recovery's task ended.
   */
  noteEvent(event: EngineEvent): void {
    this.causes.note(event);
    if (event.type === 'container' && event.action === 'oom')
      this.tasks.oomEvent(event.id, event.time);
  }

  /** Health seen by a front end (the console inspects the selected container). */
  noteHealth(containerId: string, health: ContainerHealth): void {
    this.causes.noteHealth(containerId, health);
    this.tasks.health(containerId, health);
  }

  /** What the events and inspections told of each container, by id (the newest 1 000). */
  containerFacts(): Record<string, ContainerFacts> {
    return this.causes.all();
  }

  /** The engine that runs containers on a node, when one is reachable. */
  containerPort(nodeId: string) {
    return this.options.containerPort(nodeId);
  }

  /** Faults left by a chaosdeck that stopped. */
  leftovers(): FaultRecord[] {
    return this.chaos.leftovers();
  }

  /** The guards' verdict; a refusal is journaled (the write-up lists what was not allowed). */
  async guard(request: FaultRequest, service: Service, serviceTasks: Task[]): Promise<GuardResult> {
    const { guards } = this.options;
    const verdict = checkGuards({
      kind: request.kind,
      target: request.target,
      service,
      serviceTasks,
      ...(await otherReplicas(this.options, request, service, serviceTasks, this.activeFaults())),
      protect: guards.protect,
      readOnly: guards.readOnly,
      ...(guards.selfContainerId ? { selfContainerId: guards.selfContainerId } : {}),
    });
    if (verdict.verdict === 'refuse')
      this.log({
        type: 'refused',
        kind: request.kind,
        target: journalTarget(request),
        reason: verdict.reason,
      });
    return verdict;
  }

  /** Active faults of every chaosdeck of this user (the ledger), and this run's own. */
  private activeFaults(): FaultRecord[] {
    const own = this.chaos.list();
    try {
      const listed = this.options.ledger.list();
      return [...own, ...listed.filter((r) => !own.some((o) => o.id === r.id))];
    } catch {
      // An unreadable ledger is reported where it is read for undo; the guard uses what it has.
      return own;
    }
  }

  /** Scales or restarts a whole service (guarded, audited, journaled; not undone on quit). */
  serviceAction(
    service: Pick<Service, 'id' | 'name' | 'mode' | 'desired'>,
    action: ServiceAction,
  ): Promise<ServiceActionResult> {
    const { guards } = this.options;
    return runServiceAction(
      {
        swarm: this.options.swarm,
        audit: this.options.audit,
        log: (body) => this.log(body),
        protect: guards.protect,
        readOnly: guards.readOnly,
        dryRun: this.options.dryRun,
      },
      service,
      action,
    );
  }

  /** Journals a refusal decided by a front end (a last replica the script did not force). */
  refused(request: FaultRequest, reason: string): void {
    this.log({ type: 'refused', kind: request.kind, target: journalTarget(request), reason });
  }

  /** Writes the Markdown report of the journal so far, next to it; resolves to its path. */
  async report(): Promise<string[]> {
    return [writeReportBeside(this.options.journal.file, this.options.version)];
  }

  /** Checks a fault against the live target and describes it, changing nothing. */
  async check(request: FaultRequest): Promise<{ description: string; durationMs?: number }> {
    const { description, durationMs } = await this.chaos.check(request);
    return { description, ...(durationMs !== undefined ? { durationMs } : {}) };
  }

  run(request: FaultRequest): Promise<FaultRecord | undefined> {
    this.tasks.touch(traitsOf(request.kind).onNode ? '*' : request.target.serviceId);
    return this.chaos.run(request);
  }

  /** How a fault's last undo ended, once one ran. */
  outcomeOf(id: string): 'undone' | 'gone' | 'died' | 'failed' | undefined {
    return this.outcomes.get(id);
  }

  /** Undoes one fault by id. */
  undo(id: string): Promise<UndoResult> {
    return this.chaos.undo(id);
  }

  undoWhere(match: (r: FaultRecord) => boolean): Promise<UndoSummary> {
    return this.chaos.undoWhere(match);
  }

  undoAll(): Promise<UndoSummary> {
    return this.chaos.undoAll();
  }

  /** The way out: no new faults, everything undone. */
  close(): Promise<UndoSummary> {
    return this.chaos.close();
  }

  /** Stops window timers (after close). */
  dispose(): void {
    this.chaos.dispose();
  }

  /** Takes over leftovers of a chaosdeck that stopped (claimed in the ledger). */
  /**
   * Takes over faults another machine applied and left (read from the swarm): written to this
   * machine's ledger, then adopted, so the undo, its retries and the exits cover them here.
   */
  async takeOver(records: FaultRecord[]): Promise<FaultRecord[]> {
    // Read from the swarm: their records are there (the undo claims them).
    const held = records.map((r) => ({ ...r, inSwarm: true }));
    for (const r of held) await this.options.ledger.add(r);
    return this.adopt(held);
  }

  adopt(records: FaultRecord[]): Promise<FaultRecord[]> {
    for (const r of records) this.tasks.touch(traitsOf(r.kind).onNode ? '*' : r.target.serviceId);
    return this.chaos.adopt(records);
  }

  private async healthOf(task: Task): Promise<ContainerHealth | undefined> {
    if (!task.containerId) return undefined;
    const health = await this.options.containerPort(task.nodeId)?.inspectHealth(task.containerId);
    if (health) this.noteHealth(task.containerId, health);
    return health;
  }

  /**
   * A kill's or stop's window ends once Swarm converged the recoveries it caused (momentEnd, as
   * the report reads it), so "during" means the same to the console, the commands and the report.
   */
  private extendMoments(episodes: readonly RecoveryEpisode[]): void {
    for (const [id, serviceId] of this.moments) {
      const w = this.windows.find((x) => x.id === id);
      if (!w) continue;
      const end = momentEnd(
        w.start,
        episodes.filter((e) => e.serviceId === serviceId),
        undefined,
      );
      if (end === w.end) continue;
      // `end` present even when undefined: the window is open again until Swarm has converged.
      const changed: FaultWindow = { id: w.id, label: w.label, start: w.start, end };
      w.end = end;
      this.log({ type: 'window', window: changed });
      this.emit({ type: 'window', window: changed });
      // Converged: settled for good (a later recovery of the service is another story).
      if (end !== undefined && end > w.start) this.moments.delete(id);
    }
  }

  private journalFault(e: FaultEvent): void {
    if (e.type === 'undone') this.outcomes.set(e.record.id, e.outcome);
    if (e.type === 'applied') {
      const { kind, target, params } = e.record;
      const endsTask = traitsOf(kind).endsTask;
      if (endsTask && !e.record.dryRun) this.moments.set(e.record.id, target.serviceId);
      const cause = faultModule(kind).endCause?.(params);
      if (cause && target.containerId)
        this.causes.markChaosdeck(target.containerId, cause.how, cause.signal);
      this.emit({ type: 'applied', record: e.record });
    }
    this.log(faultEventLine(e));
  }

  private log(body: Parameters<Journal['write']>[0]): void {
    this.written++;
    this.options.journal.write(body);
  }

  private emit(change: SessionChange): void {
    for (const l of this.listeners) l(change);
  }
}
