import { z } from 'zod';
import type { NetMethod } from '../../domain/fault.js';
import type { ContainerPort } from '../../docker/port.js';
import { FaultError } from '../fault-error.js';
import { ledgerId } from '../shared.js';

/** The method field of the faults that act in a container's network namespace. */
export const METHOD_FIELD = {
  name: 'method',
  label: 'method',
  hint: 'auto, nsenter (root on the node) or helper (container)',
};

/** The --method flag of those faults. */
export const METHOD_FLAG = {
  name: 'method',
  usage: '--method auto|nsenter|helper',
  help: "how to reach the container's network namespace",
};

/** The undo of a fault in a network namespace: commands that remove exactly what it added. */
export type NetCommandsUndo<K extends string> = {
  kind: K;
  containerId: string;
  nodeId: string;
  method: NetMethod;
  commands: string[][];
};

/** The ledger's check of a NetCommandsUndo of the given kind. */
export function netCommandsSchema<K extends string>(kind: K) {
  return z.object({
    kind: z.literal(kind),
    containerId: ledgerId,
    nodeId: ledgerId,
    method: z.enum(['nsenter', 'helper']),
    commands: z.array(z.array(z.string())),
  });
}

/** The method asked for ("auto": the first the node's engine offers), or why none fits. */
export function pickNetMethod(port: ContainerPort, asked: string | undefined): NetMethod {
  const available = port.netMethods();
  const wanted = (asked ?? 'auto').trim() || 'auto';
  const method: NetMethod | undefined =
    wanted === 'auto'
      ? available[0]
      : (available.find((m) => m === wanted) as NetMethod | undefined);
  if (!method)
    throw new FaultError(
      `method "${wanted}" is not available here (available: ${available.join(', ')}); nsenter needs chaosdeck running as root on that node, not in a container`,
    );
  return method;
}

/** Runs one command in the container's namespace; a failure is a FaultError with its output. */
export async function runInNamespace(
  port: ContainerPort,
  containerId: string,
  argv: string[],
  method: NetMethod,
): Promise<string> {
  const r = await port.netExec(containerId, argv, method);
  if (r.exitCode !== 0)
    throw new FaultError(
      `${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim() || `exit ${r.exitCode}`}`,
    );
  return r.stdout;
}

/**
 * How an undo reaches the namespace: as the fault was applied when this run can, else the way
 * this run has. Both act in the same namespace; a watchdog (in a container, so no nsenter) undoes
 * a fault applied by nsenter through the helper container.
 */
export function undoMethod(port: ContainerPort, applied: NetMethod): NetMethod {
  const available = port.netMethods();
  return available.includes(applied) ? applied : (available[0] ?? applied);
}

/** Runs an undo's commands in order; the first that fails stops it (the undo is retried whole). */
export async function runUndoCommands(
  port: ContainerPort,
  spec: NetCommandsUndo<string>,
): Promise<void> {
  const method = undoMethod(port, spec.method);
  for (const argv of spec.commands) {
    const r = await port.netExec(spec.containerId, argv, method);
    if (r.exitCode !== 0)
      throw new Error(`${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
  }
}
