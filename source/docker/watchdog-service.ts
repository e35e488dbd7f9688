import type Dockerode from 'dockerode';
import type { WatchdogSpec, WatchdogTask } from './port.js';
import { HELPER_LABEL } from './swarm-helper.js';
import { oneTaskStatus, removeNamedService } from './one-task-service.js';

/** The label on watchdog services (its value: the fault's id). */
export const WATCHDOG_LABEL = 'chaosdeck.watchdog';

/** A watchdog's service name: one per fault. */
export function watchdogName(faultId: string): string {
  return `chaosdeck-watchdog-${faultId}`;
}

/**
 * Creates the fault's watchdog: one task on a manager (it must write the swarm's records, which
 * only managers can), started again on failure, labelled so the views hide it and restore finds it.
 */
export async function createWatchdog(docker: Dockerode, spec: WatchdogSpec): Promise<void> {
  await docker.createService({
    Name: watchdogName(spec.faultId),
    Labels: { [HELPER_LABEL]: 'true', [WATCHDOG_LABEL]: spec.faultId },
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Args: spec.args,
        // Not the helper label: its container is no helper container (tests and restore look
        // for those); its task is hidden from the views by this label.
        Labels: { [WATCHDOG_LABEL]: spec.faultId },
        Mounts: [{ Type: 'bind', Source: spec.socket, Target: '/var/run/docker.sock' }],
      },
      Placement: { Constraints: ['node.role==manager'] },
      // Exit 0 is its end; a crash, or its manager lost, starts it again (on another manager),
      // a few times: it reads the record afresh and carries on.
      RestartPolicy: { Condition: 'on-failure', MaxAttempts: 3, Delay: 1_000_000_000 },
      // Small: it sleeps, reads one config a second, and runs one undo.
      Resources: { Limits: { MemoryBytes: 256 * 1024 * 1024 } },
    },
    Mode: { Replicated: { Replicas: 1 } },
  } as Dockerode.CreateServiceOptions);
}

/** Removes the fault's watchdog; false when there was none. */
export function removeWatchdog(docker: Dockerode, faultId: string): Promise<boolean> {
  return removeNamedService(docker, watchdogName(faultId));
}

/** The watchdog's task (undefined before Swarm scheduled one, or with no such watchdog). */
export async function watchdogTask(
  docker: Dockerode,
  faultId: string,
): Promise<WatchdogTask | undefined> {
  const status = await oneTaskStatus(docker, watchdogName(faultId));
  return status && { state: status.state, ...(status.error ? { error: status.error } : {}) };
}

/** The fault ids of every watchdog in the swarm. */
export async function listWatchdogs(docker: Dockerode): Promise<string[]> {
  const services = (await docker.listServices({
    filters: { label: [WATCHDOG_LABEL] },
  })) as { Spec?: { Labels?: Record<string, string> } }[];
  return services.map((s) => s.Spec?.Labels?.[WATCHDOG_LABEL] ?? '').filter(Boolean);
}
