import type { FaultKind } from '../domain/fault.js';
import type { DeckStore } from '../store/deck-store.js';
import type { DialogCommand, HelpersDialog } from '../store/dialog.js';
import { traitsOf } from '../faults/registry.js';

/**
 * Swarm helpers offered for nodes without an endpoint: asked once per run, on the first
 * fault key on such a node, naming what they do; y turns them on for the rest of the run.
 */
export interface HelperOffer {
  /** The helpers' image and the Docker socket they mount (what y would run). */
  image: string;
  socket: string;
  /** True when a node's containers can be reached (manager, endpoint, helpers already on). */
  reachable(nodeId: string): boolean;
  /** Turns helpers on for every node without an endpoint. */
  enable(): void;
}

/** What the offer's dialog says: what a helper is, and what it mounts. */
export function helpersOfferText(d: HelpersDialog): string[] {
  return [
    `${d.nodeName} has no endpoint (--node ${d.nodeName}=URL): chaosdeck cannot reach its containers.`,
    'Reach nodes without one through Swarm itself? Each action runs a one-shot service on the ' +
      `node (image ${d.image}, the node's Docker socket ${d.socket} mounted, restart none), ` +
      'removed when done; live health, CPU/MEM and logs use one per watched container while shown.',
  ];
}

/**
 * Keeps the offer's state: whether it was answered. `open` reopens the fault key that raised it
 * once helpers are on.
 */
export class HelperOfferFlow {
  private answered = false;

  constructor(
    private readonly store: DeckStore,
    private readonly offer: HelperOffer,
    private readonly open: (kind: FaultKind, given?: Record<string, string>) => void,
  ) {}

  /** True when the offer was made for this fault key (the caller then waits for the answer). */
  intercept(
    node: { id: string; name: string },
    kind: FaultKind,
    given?: Record<string, string>,
  ): boolean {
    // A drain acts on the node through the manager: it needs no helper.
    if (this.answered || traitsOf(kind).onNode || this.offer.reachable(node.id)) return false;
    this.store.getState().actions.setDialog({
      type: 'helpers',
      nodeName: node.name,
      image: this.offer.image,
      socket: this.offer.socket,
      then: { kind, ...(given ? { given } : {}) },
    });
    return true;
  }

  /** A key while the offer shows: y turns helpers on and goes on, n / Esc leaves them off. */
  key(dialog: HelpersDialog, command: DialogCommand): void {
    const a = this.store.getState().actions;
    const answer = command.type === 'edit' && !command.key.ctrl ? command.input.toLowerCase() : '';
    if (command.type === 'yes' || answer === 'y') {
      this.answered = true;
      this.offer.enable();
      a.setDialog(undefined);
      a.setNotice(`helpers on: nodes without an endpoint are reached through Swarm`, 'accent');
      this.open(dialog.then.kind, dialog.then.given);
    } else if (command.type === 'no' || command.type === 'cancel' || answer === 'n') {
      this.answered = true;
      a.setDialog(undefined);
      a.setNotice(
        `${dialog.nodeName} not reached: give --node ${dialog.nodeName}=URL, or start with --helpers`,
        'warn',
      );
    }
  }
}
