import { z } from 'zod';
import type { ContainerResources, ContainerPort } from '../docker/port.js';
import type { FaultTarget } from '../domain/fault.js';
import { FaultError } from './fault-error.js';
import type { FaultField, UndoOutcome } from './fault-module.js';
import { portFor, type FaultPorts } from './fault-ports.js';

/** The window field of a fault that holds: empty means until undone. */
export const WINDOW_FIELD: FaultField = {
  name: 'duration',
  label: 'duration',
  hint: '30s, 2m; empty: until undone',
  emptyMeansNone: true,
};

/** The undo of a fault that leaves nothing to put back (Swarm replaces the task it ended). */
export const NO_UNDO = { kind: 'none' } as const;

/** The ledger's check of NO_UNDO. */
export const noUndoSchema = z.object({ kind: z.literal('none') });

/** An id in the ledger: never empty. */
export const ledgerId = z.string().min(1);

/** " for 30s" when the fault has a window. */
export function windowText(params: Record<string, string | number>): string {
  return params.duration ? ` for ${params.duration}` : '';
}

/**
 * A `:` line's words read in order as the named flags ("for" is the window); too many words is
 * an error naming the usage.
 */
export function wordsInOrder(kind: string, names: string[], args: string) {
  return (words: string[]): Record<string, string> | string => {
    if (words.length > names.length) return `${kind} takes ${`${kind} ${args}`.trim()}`;
    return Object.fromEntries(words.map((w, i) => [names[i]!, w]));
  };
}

/**
 * The target's container on its node's engine, running: a container that is gone, stopped or
 * (unless `pausedOk`) paused is the user's to see first.
 */
export async function runningContainer(
  ports: FaultPorts,
  target: FaultTarget,
  pausedOk = false,
): Promise<{ port: ContainerPort; res: ContainerResources }> {
  const port = portFor(ports, target.nodeId, target.nodeName);
  const short = target.containerId.slice(0, 12);
  const res = await port.inspectResources(target.containerId);
  if (!res)
    throw new FaultError(
      `container ${short} is gone (the task was replaced?); select the task again`,
    );
  if (!res.running) throw new FaultError(`container ${short} is not running`);
  if (res.paused && !pausedOk)
    throw new FaultError(`container ${short} is paused; undo that first (u)`);
  return { port, res };
}

/**
 * Runs an undo on a container that must still be there: 'gone' when it is not, 'died' when it
 * stopped (nothing left to put back on it).
 */
export async function onLiveContainer(
  ports: FaultPorts,
  where: { nodeId: string; containerId: string },
  nodeName: string,
  undo: (port: ContainerPort, res: ContainerResources) => Promise<void>,
): Promise<UndoOutcome> {
  const port = portFor(ports, where.nodeId, nodeName);
  const res = await port.inspectResources(where.containerId);
  if (!res) return 'gone';
  if (!res.running) return 'died';
  await undo(port, res);
  return 'done';
}

/** Why a limit the container does not have cannot be changed in place. */
export function noLimit(what: string): FaultError {
  return new FaultError(
    `the container has no ${what} limit, so an in-place change could not be undone exactly (Docker cannot clear a limit). ` +
      'Set scope to "service": a service update that restarts the tasks and restores the old limits exactly.',
  );
}

/** The scope field of the limit faults. */
export const SCOPE_FIELD: FaultField = {
  name: 'scope',
  label: 'scope',
  hint: 'container (in place) or service (restarts tasks)',
  default: 'container',
};

/** The scope flag of the limit faults. */
export const SCOPE_FLAG = {
  name: 'scope',
  usage: '--scope container|service',
  help: 'in place (default) or a service update (restarts tasks)',
};

/** --scope read: container (the default) or service. */
export function readScope(flags: Record<string, string | undefined>): string | { error: string } {
  const scope = flags.scope ?? 'container';
  return ['container', 'service'].includes(scope)
    ? scope
    : { error: `--scope must be container or service, got "${scope}"` };
}

/** A limit fault's `:` words: LIMIT [container|service] [DURATION] (a duration may stand in the scope's place). */
export function limitWords(kind: string, flag: string, args: string) {
  return (words: string[]): Record<string, string> | string => {
    if (words.length > 3) return `${kind} takes ${kind} ${args}`;
    const flags: Record<string, string> = {};
    const [limit, scope, duration] = words;
    if (limit !== undefined) flags[flag] = limit;
    if (scope !== undefined) {
      if (['container', 'service'].includes(scope)) flags.scope = scope;
      else flags.for = scope;
    }
    if (duration !== undefined) flags.for ??= duration;
    return flags;
  };
}
