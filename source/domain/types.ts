/** Swarm task states, as Docker reports them (lower case). */
export type TaskState =
  | 'new'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned';

/** A port a service publishes. */
export interface PublishedPort {
  target: number;
  published?: number;
  protocol: string;
  mode: 'host' | 'ingress';
}

/** A swarm service as chaosdeck sees it. */
export interface Service {
  id: string;
  name: string;
  mode: 'replicated' | 'global';
  /** Desired replicas; for a global service the number of nodes it should run on. */
  desired: number;
  running: number;
  image: string;
  ports: PublishedPort[];
  /** Rolling update state ("updating", "completed", "rollback_started", ...), if any. */
  updateState?: string;
  /** When the last rolling update ran (UpdateStatus.StartedAt/CompletedAt; no end while it runs). */
  updateWindow?: { from: number; to?: number };
  /** Swarm's word on the update ("update paused due to failure or early termination of task …"). */
  updateMessage?: string;
  /** When its spec last changed (an update, a scale, a limit). */
  updatedAt?: number;
  labels: Record<string, string>;
  hasHealthcheck: boolean;
  /** Failing probes in a row that make a container unhealthy (Docker's default 3). */
  healthRetries?: number;
  /** Restart policy delay in ms (Swarm default 5 s). */
  restartDelayMs: number;
}

/** One swarm task (a slot's attempt at running a container). */
export interface Task {
  id: string;
  serviceId: string;
  /** Replica slot; undefined for global services (they key by node). */
  slot?: number;
  nodeId: string;
  desiredState: TaskState;
  state: TaskState;
  /** Epoch ms of the last state change (Task.Status.Timestamp). */
  stateSince: number;
  /** Epoch ms when the task was created. */
  createdAt: number;
  message: string;
  error?: string;
  exitCode?: number;
  containerId?: string;
}

/** A swarm node. */
export interface SwarmNode {
  id: string;
  hostname: string;
  role: 'manager' | 'worker';
  availability: 'active' | 'pause' | 'drain';
  ready: boolean;
  leader: boolean;
  addr?: string;
  labels: Record<string, string>;
  /** Swarm's word for the node (Status.State): ready, down, unknown, disconnected. */
  state?: string;
  /** When a manager last changed the node's record (its state, availability): manager's clock. */
  updatedAt?: number;
  /** A manager's standing in the raft (ManagerStatus.Reachability): reachable, unreachable. */
  reachability?: string;
  /** The node's own address, without a port: what other nodes reach it at. */
  ip?: string;
}

/** What the engine we talk to says about itself and its swarm. */
export interface EngineInfo {
  version: string;
  apiVersion: string;
  swarmState: 'inactive' | 'pending' | 'active' | 'error' | 'locked';
  nodeId: string;
  nodeName: string;
  isManager: boolean;
  /** Addresses of the managers, as the engine knows them. */
  managers: string[];
}

/** One healthcheck probe result. */
export interface ProbeResult {
  start: number;
  end: number;
  exitCode: number;
  output: string;
}

/** Health and lifecycle facts of one container, from inspect. */
export interface ContainerHealth {
  containerId: string;
  status: 'healthy' | 'unhealthy' | 'starting' | 'none';
  failingStreak: number;
  probes: ProbeResult[];
  state: string;
  running: boolean;
  paused: boolean;
  oomKilled: boolean;
  exitCode: number;
  restartCount: number;
  startedAt?: number;
  finishedAt?: number;
}

/** A change the engine announced; a hint that the model should be refreshed. */
export interface EngineEvent {
  type: 'service' | 'node' | 'container' | 'other';
  action: string;
  id: string;
  /** Epoch ms, with nanosecond precision folded in. */
  time: number;
  /** For container events: the swarm task id and service name from the container labels. */
  taskId?: string;
  serviceId?: string;
  serviceName?: string;
  /** A `die` event's exit code. */
  exitCode?: number;
  /** A `kill` event's signal (SIGKILL, 15...). */
  signal?: string;
}

/** A line a container printed, with the stream it came on. */
export interface LogLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

/** One stats sample of a container: CPU as % of one CPU (docker stats' figure) and memory. */
export interface ContainerUsage {
  /** Undefined when the engine gave no previous sample to compare with. */
  cpuPercent?: number;
  memoryBytes: number;
  memoryLimit?: number;
}

/**
 * How chaosdeck reaches a node's engine: the manager it talks to, a --node endpoint (answering,
 * or not since its last call), helper tasks through Swarm, or no way at all.
 */
export type NodeReach =
  | { kind: 'manager' }
  | { kind: 'endpoint'; url: string }
  /** Through short-lived Swarm tasks on the node (--helpers). */
  | { kind: 'helper'; image: string }
  | { kind: 'unreachable'; url: string; error: string }
  | { kind: 'none' };

/** The reach map's key for every node it does not name (helpers reach them all). */
export const OTHER_NODES = '*';
