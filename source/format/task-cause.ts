import type { TaskCause } from '../domain/task-cause.js';

/** "OOM killed", "killed from outside (SIGKILL)", "exited 1"... */
export function causeText(cause: TaskCause): string {
  switch (cause.kind) {
    case 'oom':
      return 'OOM killed';
    case 'unhealthy':
      return cause.failingProbes
        ? `unhealthy (${cause.failingProbes} failing probe${cause.failingProbes === 1 ? '' : 's'})`
        : 'unhealthy: killed by Swarm';
    case 'killed':
      return `killed ${cause.by === 'chaosdeck' ? 'by chaosdeck' : 'from outside'} (${cause.signal})`;
    case 'stopped':
      return 'stopped by chaosdeck (docker stop)';
    case 'exited':
      return `exited ${cause.code}`;
    case 'rejected':
      return `rejected: ${cause.reason}`;
    case 'node-down':
      return 'node down';
    case 'engine-lost':
      return 'its engine lost the container (dockerd restarted?)';
    case 'shut-down':
      return 'shut down by Swarm (update or scale)';
  }
}
