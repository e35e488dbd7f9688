import type {
  ContainerHealth,
  EngineEvent,
  EngineInfo,
  PublishedPort,
  Service,
  SwarmNode,
  Task,
} from '../domain/types.js';
import { parseTaskState } from '../domain/task-state.js';
import type {
  RawContainer,
  RawEvent,
  RawInfo,
  RawNode,
  RawPort,
  RawService,
  RawTask,
} from './raw.js';
import type { SwarmConfig } from './port.js';

// Swarm's default restart delay (swarmkit api/defaults/service.go).
const DEFAULT_RESTART_DELAY_MS = 5000;

/** Parses a Docker timestamp; "0001-01-01..." (Go's zero time) and junk become undefined. */
export function parseTime(value: string | undefined): number | undefined {
  if (!value || value.startsWith('0001-')) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Drops the registry digest and a long registry prefix: "reg.io/team/app:1.2@sha256:..." → "team/app:1.2". */
export function shortImage(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const parts = noDigest.split('/');
  if (parts.length > 1 && /[.:]/.test(parts[0] ?? '')) parts.shift();
  return parts.join('/');
}

function mapPort(p: RawPort): PublishedPort {
  return {
    target: p.TargetPort ?? 0,
    ...(p.PublishedPort ? { published: p.PublishedPort } : {}),
    protocol: p.Protocol ?? 'tcp',
    mode: p.PublishMode === 'host' ? 'host' : 'ingress',
  };
}

function updateWindow(status: RawService['UpdateStatus']): Pick<Service, 'updateWindow'> {
  const from = parseTime(status?.StartedAt);
  if (from === undefined) return {};
  const to = parseTime(status?.CompletedAt);
  return { updateWindow: { from, ...(to !== undefined ? { to } : {}) } };
}

/** Maps a raw service; running/desired come from ServiceStatus when the engine gives it. */
export function mapService(raw: RawService): Service {
  const spec = raw.Spec ?? {};
  const global = spec.Mode?.Global !== undefined;
  const test = spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test;
  const delayNs = spec.TaskTemplate?.RestartPolicy?.Delay;
  return {
    id: raw.ID,
    name: spec.Name ?? raw.ID,
    mode: global ? 'global' : 'replicated',
    desired: raw.ServiceStatus?.DesiredTasks ?? spec.Mode?.Replicated?.Replicas ?? 0,
    running: raw.ServiceStatus?.RunningTasks ?? 0,
    image: shortImage(spec.TaskTemplate?.ContainerSpec?.Image ?? ''),
    ports: (raw.Endpoint?.Ports ?? spec.EndpointSpec?.Ports ?? []).map(mapPort),
    ...(raw.UpdateStatus?.State ? { updateState: raw.UpdateStatus.State } : {}),
    ...(raw.UpdateStatus?.Message ? { updateMessage: raw.UpdateStatus.Message } : {}),
    ...updateWindow(raw.UpdateStatus),
    ...(parseTime(raw.UpdatedAt) !== undefined ? { updatedAt: parseTime(raw.UpdatedAt)! } : {}),
    labels: spec.Labels ?? {},
    hasHealthcheck: Array.isArray(test) && test.length > 0 && test[0] !== 'NONE',
    // Docker's default when the healthcheck does not say.
    healthRetries: spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Retries || 3,
    restartDelayMs: delayNs === undefined ? DEFAULT_RESTART_DELAY_MS : delayNs / 1e6,
  };
}

/** Maps a raw task. */
export function mapTask(raw: RawTask): Task {
  const status = raw.Status ?? {};
  const createdAt = parseTime(raw.CreatedAt) ?? 0;
  const cs = status.ContainerStatus;
  return {
    id: raw.ID,
    serviceId: raw.ServiceID,
    ...(raw.Slot ? { slot: raw.Slot } : {}),
    nodeId: raw.NodeID ?? '',
    desiredState: parseTaskState(raw.DesiredState),
    state: parseTaskState(status.State),
    stateSince: parseTime(status.Timestamp) ?? createdAt,
    createdAt,
    message: status.Message ?? '',
    ...(status.Err ? { error: status.Err } : {}),
    ...(cs?.ContainerID ? { containerId: cs.ContainerID, exitCode: cs.ExitCode ?? 0 } : {}),
  };
}

/** Maps a raw node. */
export function mapNode(raw: RawNode): SwarmNode {
  const availability = raw.Spec?.Availability;
  return {
    id: raw.ID,
    hostname: raw.Description?.Hostname ?? raw.ID.slice(0, 12),
    role: raw.Spec?.Role === 'manager' ? 'manager' : 'worker',
    availability: availability === 'drain' || availability === 'pause' ? availability : 'active',
    ready: raw.Status?.State === 'ready',
    leader: raw.ManagerStatus?.Leader === true,
    ...(raw.ManagerStatus?.Addr || raw.Status?.Addr
      ? { addr: raw.ManagerStatus?.Addr ?? raw.Status?.Addr }
      : {}),
    labels: raw.Spec?.Labels ?? {},
    ...(raw.Status?.State ? { state: raw.Status.State } : {}),
    ...(raw.UpdatedAt ? { updatedAt: Date.parse(raw.UpdatedAt) } : {}),
    ...(raw.ManagerStatus?.Reachability ? { reachability: raw.ManagerStatus.Reachability } : {}),
    ...nodeIp(raw),
  };
}

/**
 * The node's address without a port. A manager's Status.Addr can read 0.0.0.0 (the address it
 * listens on), so a manager's raft address is taken first.
 */
function nodeIp(raw: RawNode): { ip?: string } {
  const managerHost = raw.ManagerStatus?.Addr?.replace(/:\d+$/, '');
  const own = raw.Status?.Addr;
  const ip = managerHost || (own && own !== '0.0.0.0' ? own : undefined);
  return ip ? { ip } : {};
}

/** Maps /info and /version into what the header shows. */
export function mapInfo(raw: RawInfo, apiVersion: string): EngineInfo {
  const swarm = raw.Swarm ?? {};
  const state = swarm.LocalNodeState;
  return {
    version: raw.ServerVersion ?? '?',
    apiVersion,
    swarmState:
      state === 'active' || state === 'pending' || state === 'error' || state === 'locked'
        ? state
        : 'inactive',
    nodeId: swarm.NodeID ?? '',
    nodeName: raw.Name ?? '',
    isManager: swarm.ControlAvailable === true,
    managers: (swarm.RemoteManagers ?? []).map((m) => m.Addr ?? m.NodeID ?? '?'),
  };
}

/** Maps a container inspect into health facts. */
export function mapHealth(raw: RawContainer): ContainerHealth {
  const state = raw.State ?? {};
  const health = state.Health;
  const status = health?.Status;
  const startedAt = parseTime(state.StartedAt);
  const finishedAt = parseTime(state.FinishedAt);
  return {
    containerId: raw.Id,
    status:
      status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none',
    failingStreak: health?.FailingStreak ?? 0,
    probes: (health?.Log ?? []).map((p) => ({
      start: parseTime(p.Start) ?? 0,
      end: parseTime(p.End) ?? 0,
      exitCode: p.ExitCode ?? 0,
      output: (p.Output ?? '').trim(),
    })),
    state: state.Status ?? 'unknown',
    running: state.Running === true,
    paused: state.Paused === true,
    oomKilled: state.OOMKilled === true,
    exitCode: state.ExitCode ?? 0,
    restartCount: raw.RestartCount ?? 0,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
  };
}

const SIGNALS: Record<string, string> = {
  '9': 'SIGKILL',
  '15': 'SIGTERM',
  '2': 'SIGINT',
  '1': 'SIGHUP',
  '3': 'SIGQUIT',
};

/** "9" → "SIGKILL"; a name stays a name. */
function signalName(signal: string): string {
  return SIGNALS[signal] ?? (signal.startsWith('SIG') ? signal : `signal ${signal}`);
}

/** Maps an event from the stream. */
export function mapEvent(raw: RawEvent): EngineEvent {
  const type = raw.Type;
  const attrs = raw.Actor?.Attributes ?? {};
  const time = raw.timeNano ? raw.timeNano / 1e6 : (raw.time ?? 0) * 1000;
  return {
    type: type === 'service' || type === 'node' || type === 'container' ? type : 'other',
    action: raw.Action ?? '',
    id: raw.Actor?.ID ?? '',
    time,
    ...(attrs['com.docker.swarm.task.id'] ? { taskId: attrs['com.docker.swarm.task.id'] } : {}),
    ...(attrs['com.docker.swarm.service.id']
      ? { serviceId: attrs['com.docker.swarm.service.id'] }
      : {}),
    ...(attrs['com.docker.swarm.service.name']
      ? { serviceName: attrs['com.docker.swarm.service.name'] }
      : {}),
    ...(attrs.exitCode !== undefined && /^\d+$/.test(attrs.exitCode)
      ? { exitCode: Number(attrs.exitCode) }
      : {}),
    ...(attrs.signal ? { signal: signalName(attrs.signal) } : {}),
  };
}

/** The parts of a config object chaosdeck reads. */
export interface RawConfig {
  CreatedAt?: string;
  UpdatedAt?: string;
  Version?: { Index?: number };
  Spec?: { Name?: string; Labels?: Record<string, string>; Data?: string };
}

/** A config's name, labels and data (base64 in the API). */
export function mapConfig(raw: RawConfig): SwarmConfig {
  return {
    name: raw.Spec?.Name ?? '',
    labels: raw.Spec?.Labels ?? {},
    data: Buffer.from(raw.Spec?.Data ?? '', 'base64').toString('utf8'),
    createdAt: raw.CreatedAt ? Date.parse(raw.CreatedAt) : 0,
    updatedAt: Date.parse(raw.UpdatedAt ?? raw.CreatedAt ?? '') || 0,
  };
}
