import type { GameDayFaults } from '../game-day/game-day-faults.js';
import type { ServiceAction } from '../game-day/service-actions.js';
import type { DeckStore } from '../store/deck-store.js';
import type { DialogCommand, ServiceDialog } from '../store/dialog.js';
import { selectedService } from '../store/selectors.js';

const describe = (d: Pick<ServiceDialog, 'action' | 'service'>) =>
  d.action.kind === 'scale'
    ? `scale ${d.service.name} ${d.service.desired} → ${d.action.replicas}`
    : `restart ${d.service.name}`;

/** Runs a confirmed scale or restart and says how it went. */
async function run(store: DeckStore, gameDay: GameDayFaults, dialog: ServiceDialog): Promise<void> {
  const a = store.getState().actions;
  a.setDialog({ ...dialog, stage: 'running' });
  const result = await gameDay.serviceAction(dialog.service, dialog.action);
  if (result.outcome === 'failed') {
    a.setDialog({ ...dialog, stage: 'confirm', error: result.reason });
    return;
  }
  a.setDialog(undefined);
  if (result.outcome === 'refused')
    return a.setNotice(`${describe(dialog)}: refused, ${result.reason}`, 'bad');
  a.setNotice(
    result.outcome === 'dry-run'
      ? `dry-run: would ${describe(dialog)}`
      : `${describe(dialog)}: Swarm is on it (not undone on quit)`,
    result.outcome === 'dry-run' ? 'dim' : 'warn',
  );
}

/**
 * `:scale N` / `:restart` on the selected service: a y/n dialog (none with --yes), then the
 * game day's guarded action.
 */
export function openServiceAction(
  store: DeckStore,
  gameDay: GameDayFaults,
  action: ServiceAction,
  yes: boolean,
): void {
  const state = store.getState();
  const service = selectedService(state);
  if (!service) return state.actions.setNotice('select a service first', 'warn');
  const dialog: ServiceDialog = {
    type: 'service',
    action,
    service: {
      id: service.id,
      name: service.name,
      mode: service.mode,
      desired: service.desired,
      running: service.running,
    },
    stage: 'confirm',
  };
  if (yes) void run(store, gameDay, dialog);
  else state.actions.setDialog(dialog);
}

/** A key while the scale/restart dialog is open: y runs it, n or Esc drops it. */
export function serviceDialogKey(
  store: DeckStore,
  gameDay: GameDayFaults,
  dialog: ServiceDialog,
  command: DialogCommand,
): void {
  if (dialog.stage !== 'confirm') return;
  const answer = command.type === 'edit' && !command.key.ctrl ? command.input.toLowerCase() : '';
  if (command.type === 'yes' || answer === 'y') void run(store, gameDay, dialog);
  else if (command.type === 'no' || command.type === 'cancel' || answer === 'n') {
    store.getState().actions.setDialog(undefined);
    store.getState().actions.setNotice(`${describe(dialog)} cancelled`, 'dim');
  }
}

/** The dialog's text: what will happen, in Swarm's words. */
export function serviceDialogText(d: ServiceDialog): string {
  if (d.action.kind === 'scale')
    return `Scale ${d.service.name} from ${d.service.desired} to ${d.action.replicas} replicas (${d.service.running} running now). Not a fault: nothing scales it back on quit.`;
  return `Restart ${d.service.name}: Swarm replaces each of its tasks as its update policy says (docker service update --force). Not a fault: nothing to undo.`;
}
