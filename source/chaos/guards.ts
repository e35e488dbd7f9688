import type { FaultKind, FaultTarget } from '../domain/fault.js';
import { faultModule } from '../faults/registry.js';
import type { Service, Task } from '../domain/types.js';

/** What the guards look at. */
export interface GuardInput {
  kind: FaultKind;
  target: FaultTarget;
  service: Pick<Service, 'name' | 'labels' | 'hasHealthcheck'>;
  /** Every task of the target's service. */
  serviceTasks: Task[];
  /** Health of the other running replicas' containers, where known (true = healthy). */
  healthyByContainer: Record<string, boolean | undefined>;
  /**
   * Other replicas that run but do not serve, by container id, with why: paused (Docker says
   * so), or held by an active fault that takes a replica out (see `takesReplicaOut`).
   */
  outOfService?: Record<string, OutOfService>;
  protect: RegExp[];
  /** chaosdeck's own container, when it runs in one. */
  selfContainerId?: string;
  readOnly: boolean;
}

/** Guard settings from the command line. */
export interface GuardSettings {
  protect: RegExp[];
  selfContainerId?: string;
  readOnly: boolean;
}

/** The guards' verdict. */
export type GuardResult =
  | { verdict: 'allow' }
  | { verdict: 'refuse'; reason: string }
  /** Allowed only after the user types the service name. */
  | { verdict: 'confirm-name'; name: string; reason: string };

/** Why a running replica does not serve. */
export type OutOfService = 'paused' | FaultKind;

/**
 * Active faults that keep a running replica from serving: paused, starved of CPU, or cut off by
 * a network window. (A memory limit serves until the OOM killer strikes; Swarm replaces it then.)
 */
export function takesReplicaOut(kind: FaultKind): boolean {
  return faultModule(kind).traits.keepsReplicaOut;
}

function outLine(slot: string, why: OutOfService): string {
  if (why === 'paused') return `${slot} paused`;
  return `${slot} under a ${why} fault`;
}

/** Decides whether a fault may go ahead (pure; the caller gathers the facts). */
export function checkGuards(input: GuardInput): GuardResult {
  const { target, service } = input;
  if (input.readOnly)
    return { verdict: 'refuse', reason: 'read-only: faults are off (--read-only)' };
  if (service.labels['chaosdeck.protect'] === 'true') {
    return {
      verdict: 'refuse',
      reason: `${service.name} is protected (label chaosdeck.protect=true)`,
    };
  }
  const pattern = input.protect.find((re) => re.test(service.name));
  if (pattern)
    return {
      verdict: 'refuse',
      reason: `${service.name} is protected (--protect ${pattern.source})`,
    };
  if (input.selfContainerId && target.containerId.startsWith(input.selfContainerId)) {
    return { verdict: 'refuse', reason: 'that is chaosdeck’s own container' };
  }
  if (!faultModule(input.kind).traits.takesReplica) return { verdict: 'allow' };
  const running = input.serviceTasks.filter(
    (t) => t.id !== target.taskId && t.state === 'running' && t.desiredState === 'running',
  );
  const out = input.outOfService ?? {};
  const others = running.filter((t) => !(t.containerId && out[t.containerId]));
  if (others.length === 0) {
    const down = running.flatMap((t) => {
      const why = t.containerId ? out[t.containerId] : undefined;
      return why ? [outLine(`${service.name}.${t.slot ?? t.nodeId}`, why)] : [];
    });
    return {
      verdict: 'confirm-name',
      name: service.name,
      reason: down.length
        ? `this is the last serving replica of ${service.name} (${down.join(', ')})`
        : `this is the last running replica of ${service.name}`,
    };
  }
  if (service.hasHealthcheck) {
    const healthy = others.filter(
      (t) => t.containerId && input.healthyByContainer[t.containerId] === true,
    );
    if (healthy.length === 0) {
      return {
        verdict: 'confirm-name',
        name: service.name,
        reason: `this is the last healthy replica of ${service.name}`,
      };
    }
  }
  return { verdict: 'allow' };
}
