import type { FaultKind, FaultTarget } from '../domain/fault.js';
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

/** Faults that take a replica out of service. */
const TAKES_REPLICA: FaultKind[] = ['kill', 'stop', 'pause'];

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
  if (!TAKES_REPLICA.includes(input.kind)) return { verdict: 'allow' };
  const others = input.serviceTasks.filter(
    (t) => t.id !== target.taskId && t.state === 'running' && t.desiredState === 'running',
  );
  if (others.length === 0) {
    return {
      verdict: 'confirm-name',
      name: service.name,
      reason: `this is the last running replica of ${service.name}`,
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
