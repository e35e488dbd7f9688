import type { GameDayFaults } from '../game-day/game-day-faults.js';
import type { FaultRequest } from '../faults/prepare.js';
import type { FaultKind, FaultRecord, FaultTarget } from '../domain/fault.js';
import type { DeckStore } from '../store/deck-store.js';
import {
  dialogParams,
  editDialog,
  moveField,
  openFaultDialog,
  type DialogCommand,
  type FaultDialog,
} from '../store/dialog.js';

export type { DialogCommand } from '../store/dialog.js';
import { textField } from '../store/text-field.js';
import { openServiceAction, serviceDialogKey } from './service-flow.js';
import type { ServiceAction } from '../game-day/service-actions.js';
import { nodeName, selectedService, selectedTaskRow } from '../store/selectors.js';
import { HelperOfferFlow, type HelperOffer } from './helper-offer.js';
import { faultModule, traitsOf } from '../faults/registry.js';
import { faultHome } from '../faults/registry.js';
import { isRefusal } from '../faults/fault-error.js';

/** Options of the flow. */
export interface FaultFlowOptions {
  /** --yes: no y/n confirmation (typing a service name for the last replica still applies). */
  yes: boolean;
  /**
   * Swarm helpers to offer (once) for a node without an endpoint; none with --helpers (they are
   * on) or --no-helpers. Asked even with --yes: it mounts the Docker socket on the nodes.
   */
  helpers?: HelperOffer;
  /** What ends the fault if this console cannot (its watchdog, or nothing), timed or not. */
  ending?: (timed: boolean) => string;
  /**
   * Starts watching a node a fault is about to cut off (Swarm marking it down, moving its
   * replicas, taking it back); returns its stop function.
   */
  watchNode?: (target: FaultTarget) => () => void;
}

const message = (error: unknown) => (error as Error)?.message ?? String(error);

/** Connects fault keys and dialogs to the game day; all state lives in the store. */
export class FaultFlow {
  private readonly helperOffer: HelperOfferFlow | undefined;

  constructor(
    private readonly store: DeckStore,
    private readonly gameDay: GameDayFaults,
    private readonly options: FaultFlowOptions,
  ) {
    this.helperOffer =
      options.helpers && new HelperOfferFlow(store, options.helpers, (k, g) => this.open(k, g));
  }

  /**
   * A fault key on the selected task: open its dialog, or say why not. With `given` (a command
   * line's values) the fields are filled and the check runs at once, to the confirmation.
   */
  open(kind: FaultKind, given?: Record<string, string>): void {
    const state = this.store.getState();
    const a = state.actions;
    if (state.modes.readOnly) return a.setNotice('read-only: faults are off (--read-only)', 'warn');
    const row = selectedTaskRow(state);
    const service = selectedService(state);
    const task = row?.task;
    if (!task || !service) return a.setNotice('select a task first (Enter on a service)', 'warn');
    // Draining acts on the task's node: it needs no container of its own.
    if (!traitsOf(kind).onNode && (!task.containerId || task.desiredState !== 'running')) {
      return a.setNotice(
        `${row.slotName} has no running container to target (task ${task.state})`,
        'warn',
      );
    }
    const target: FaultTarget = {
      serviceId: service.id,
      serviceName: service.name,
      taskId: task.id,
      slotName: row.slotName,
      containerId: task.containerId ?? '',
      nodeId: task.nodeId,
      nodeName: nodeName(state, task.nodeId),
    };
    if (this.helperOffer?.intercept({ id: target.nodeId, name: target.nodeName }, kind, given))
      return;
    const dialog = openFaultDialog(kind, target, given);
    a.setDialog(dialog);
    if (dialog.stage === 'checking' || given) void this.check(dialog);
  }

  /** u: undo the faults on the selected task. */
  async undoSelected(): Promise<void> {
    const state = this.store.getState();
    const task = selectedTaskRow(state)?.task;
    if (!task) return state.actions.setNotice('select a task first', 'warn');
    // A service-scope limit belongs to the service (Swarm replaced the task it was set from);
    // a drain to the node.
    const mine = (r: FaultRecord) =>
      r.target.taskId === task.id ||
      (faultHome(r) === 'service' && r.target.serviceId === task.serviceId) ||
      (faultHome(r) === 'node' && r.target.nodeId === task.nodeId);
    if (!state.faults.some(mine))
      return state.actions.setNotice('no active fault on this task', 'dim');
    this.report(await this.gameDay.undoWhere(mine), 'undo');
  }

  /** !: undo every active fault now. */
  async halt(): Promise<void> {
    if (this.store.getState().faults.length === 0)
      return this.store.getState().actions.setNotice('halt: nothing active', 'dim');
    this.report(await this.gameDay.undoAll(), 'halt');
  }

  /** `:scale N`, `:restart`: the selected service, after y/n. */
  openService(action: ServiceAction): void {
    openServiceAction(this.store, this.gameDay, action, this.options.yes);
  }

  /** Offers leftovers of a dead chaosdeck for undo. */
  offerLeftovers(records: FaultRecord[]): void {
    if (records.length > 0)
      this.store.getState().actions.setDialog({ type: 'leftovers', records, stage: 'confirm' });
  }

  /** A key while a dialog is open. */
  key(command: DialogCommand): void {
    const { dialog, actions: a } = this.store.getState();
    if (!dialog) return;
    if (dialog.type === 'service')
      return serviceDialogKey(this.store, this.gameDay, dialog, command);
    // The experiments list has its own flow (the console routes its keys there).
    if (dialog.type === 'experiments') return;
    if (dialog.type === 'helpers') return this.helperOffer?.key(dialog, command);
    if (dialog.type === 'leftovers') {
      if (dialog.stage !== 'confirm') return;
      const answer =
        command.type === 'edit' && !command.key.ctrl ? command.input.toLowerCase() : '';
      if (command.type === 'yes' || answer === 'y') void this.undoLeftovers(dialog.records);
      else if (command.type === 'no' || command.type === 'cancel' || answer === 'n') {
        a.setDialog(undefined);
        a.setNotice(
          `left ${dialog.records.length} earlier fault(s) active; chaosdeck restore undoes them`,
          'warn',
        );
      }
      return;
    }
    // Esc cancels a check still running (its answer is then dropped); an apply runs to its end.
    if (dialog.stage === 'checking' && command.type === 'cancel') {
      a.setDialog(undefined);
      a.setNotice(`${dialog.kind} cancelled`, 'dim');
      return;
    }
    if (dialog.stage === 'checking' || dialog.stage === 'running') return;
    switch (command.type) {
      case 'cancel':
        a.setDialog(undefined);
        a.setNotice(`${dialog.kind} cancelled`, 'dim');
        return;
      case 'edit':
        // At the confirmation only y and n answer; any other key is ignored, not a yes.
        if (dialog.stage === 'confirm') {
          const answer = command.key.ctrl || command.key.meta ? '' : command.input.toLowerCase();
          if (answer === 'y') return this.key({ type: 'yes' });
          if (answer === 'n') return this.key({ type: 'no' });
          return;
        }
        return a.setDialog(editDialog(dialog, command.input, command.key));
      case 'field':
        return a.setDialog(moveField(dialog, command.step));
      case 'no':
        if (dialog.stage === 'confirm') {
          a.setDialog(undefined);
          a.setNotice(`${dialog.kind} cancelled`, 'dim');
        }
        return;
      case 'yes':
        if (dialog.stage === 'confirm') this.afterConfirm(dialog);
        return;
      case 'submit':
        if (dialog.stage === 'edit') void this.check(dialog);
        else if (dialog.stage === 'confirm-name') {
          if (dialog.typed.text.trim() === dialog.guard?.name) void this.apply(dialog);
          else a.setDialog({ ...dialog, error: `type ${dialog.guard?.name} exactly, or Esc` });
        }
        return;
    }
  }

  private afterConfirm(dialog: FaultDialog): void {
    if (dialog.guard)
      this.store
        .getState()
        .actions.setDialog({ ...dialog, stage: 'confirm-name', typed: textField() });
    else void this.apply(dialog);
  }

  private request(dialog: FaultDialog): FaultRequest {
    return { kind: dialog.kind, target: dialog.target, params: dialogParams(dialog) };
  }

  private async check(dialog: FaultDialog): Promise<void> {
    const a = this.store.getState().actions;
    const state = this.store.getState();
    const checking: FaultDialog = { ...dialog, stage: 'checking', error: undefined };
    a.setDialog(checking);
    // Cancelled meanwhile (Esc): the answer has no dialog to go to.
    const cancelled = () => this.store.getState().dialog !== checking;
    const request = this.request(dialog);
    try {
      const service = state.services.find((s) => s.id === dialog.target.serviceId);
      if (!service) throw new Error(`service ${dialog.target.serviceName} is gone`);
      const guard = await this.gameDay.guard(
        request,
        service,
        state.tasks.filter((t) => t.serviceId === service.id),
      );
      if (cancelled()) return;
      if (guard.verdict === 'refuse') {
        a.setDialog(undefined);
        a.setNotice(`refused: ${guard.reason}`, 'bad');
        return;
      }
      const { description, durationMs } = await this.gameDay.check(request);
      if (cancelled()) return;
      const ending = this.options.ending?.(durationMs !== undefined);
      const next: FaultDialog = {
        ...dialog,
        stage: 'confirm',
        description,
        ...(ending ? { ending } : {}),
        ...(guard.verdict === 'confirm-name'
          ? { guard: { name: guard.name, reason: guard.reason } }
          : {}),
      };
      if (this.options.yes) this.afterConfirm(next);
      else a.setDialog(next);
    } catch (error) {
      if (cancelled()) return;
      // With fields, the error shows under them for another try; without (drain), as a notice.
      if (dialog.fields.length > 0) {
        a.setDialog({ ...dialog, stage: 'edit', error: message(error) });
      } else {
        a.setDialog(undefined);
        a.setNotice(message(error), 'bad');
      }
    }
  }

  private async apply(dialog: FaultDialog): Promise<void> {
    const a = this.store.getState().actions;
    a.setDialog({ ...dialog, stage: 'running' });
    // From before the change: a cut leader can hold the apply up while the election runs.
    const stopWatch =
      faultModule(dialog.kind).commandTarget === 'node' && !this.store.getState().modes.dryRun
        ? this.options.watchNode?.(dialog.target)
        : undefined;
    try {
      await this.gameDay.run(this.request(dialog));
      a.setDialog(undefined);
      const dry = this.store.getState().modes.dryRun ? 'dry-run, nothing changed: ' : '';
      a.setNotice(
        `${dry}${dialog.description ?? dialog.kind} on ${dialog.target.slotName}`,
        'accent',
      );
    } catch (error) {
      stopWatch?.();
      a.setDialog(undefined);
      a.setNotice(
        isRefusal(error) ? `refused: ${error.message}` : `${dialog.kind} failed: ${message(error)}`,
        'bad',
      );
    }
  }

  private async undoLeftovers(records: FaultRecord[]): Promise<void> {
    const a = this.store.getState().actions;
    a.setDialog({ type: 'leftovers', records, stage: 'running' });
    try {
      await this.gameDay.adopt(records);
      const ids = new Set(records.map((r) => r.id));
      const summary = await this.gameDay.undoWhere((r) => ids.has(r.id));
      a.setDialog(undefined);
      this.report(summary, 'restore');
    } catch (error) {
      a.setDialog(undefined);
      a.setNotice(`restore failed: ${(error as Error).message}`, 'bad');
    }
  }

  private report(
    summary: { undone: unknown[]; gone: unknown[]; died: unknown[]; failed: unknown[] },
    what: string,
  ): void {
    const parts = [`${summary.undone.length} undone`];
    if (summary.gone.length) parts.push(`${summary.gone.length} target(s) gone, dropped`);
    if (summary.died.length) parts.push(`${summary.died.length} target(s) died, nothing to undo`);
    if (summary.failed.length) parts.push(`${summary.failed.length} FAILED (u or ! retries)`);
    this.store
      .getState()
      .actions.setNotice(`${what}: ${parts.join(', ')}`, summary.failed.length ? 'bad' : 'good');
  }
}
