import type { ContainerUsage, LogLine } from '../domain/types.js';
import type { CpuLimits, MemoryLimits, NetMethod, ServiceLimits } from '../domain/fault.js';
import type {
  ContainerHealth,
  EngineEvent,
  EngineInfo,
  Service,
  SwarmNode,
  Task,
} from '../domain/types.js';
import type { ManagerSwitch } from '../domain/manager-switch.js';

export type { ManagerSwitch };

/** A live subscription; call stop to end it. */
export interface Subscription {
  stop(): void;
}

/** What a watchdog runs: chaosdeck's image, its arguments, the manager's Docker socket. */
export interface WatchdogSpec {
  faultId: string;
  /** An image whose entrypoint is chaosdeck (the published image, or `npm run image`). */
  image: string;
  /** chaosdeck's arguments: `watchdog FAULT-ID …`. */
  args: string[];
  /** The Docker socket on the managers, mounted into the watchdog. */
  socket: string;
}

/** How a watchdog's one task stands, as Swarm says. */
export interface WatchdogTask {
  state: string;
  error?: string;
}

/** What a partition's cutter does on its node: drop Swarm's traffic with `peers` until `endsAtSec`. */
export interface CutterSpec {
  faultId: string;
  nodeId: string;
  /** When the kernel stops applying the rules (epoch seconds, the node's clock). */
  endsAtSec: number;
  /** The addresses cut off (the node's managers, or every other node). */
  peers: string[];
  /** "tcp:2377,7946" per protocol: the traffic dropped, either way. */
  ports: string[];
}

/** How a cutter's one task stands, as Swarm last heard. */
export interface CutterTask {
  state: string;
  /** When Swarm recorded that state (the manager's clock). */
  since: number;
  error?: string;
}

/** A container's limits and run state, as HostConfig and State have them. */
export interface ContainerResources {
  cpu: CpuLimits;
  memory: MemoryLimits;
  running: boolean;
  paused: boolean;
  labels: Record<string, string>;
  /** The image it runs (an id, always on its node). */
  image?: string;
}

/** What a node's engine says about the machine. */
export interface HostResources {
  cpus: number;
  memoryBytes: number;
  /** cgroupfs or systemd. */
  cgroupDriver?: string;
}

/** A Swarm config as chaosdeck reads it back. */
export interface SwarmConfig {
  name: string;
  labels: Record<string, string>;
  data: string;
  createdAt: number;
  /** When a manager last changed it (its labels), on the manager's clock. */
  updatedAt: number;
}

/** A short-lived container beside a task's (the stress fault's burner): nothing published. */
export interface SidecarSpec {
  name: string;
  image: string;
  /** Run as `sh -c SCRIPT`. */
  script: string;
  /** The cgroup it is made a child of (the target's own, so it shares the target's limits). */
  cgroupParent: string;
  labels: Record<string, string>;
}

/** What a command in a container's network namespace printed. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What chaosdeck needs from the engine that runs a container. */
export interface ContainerPort {
  /** The endpoint in the user's words, e.g. unix:///var/run/docker.sock. */
  readonly endpoint: string;
  /** Each call starts a task through Swarm (a helper): ask only what is needed. */
  readonly costly?: boolean;
  /** Health and lifecycle of a container; undefined when the engine does not know it. */
  inspectHealth(containerId: string): Promise<ContainerHealth | undefined>;
  /** Limits and run state; undefined when the engine does not know the container. */
  inspectResources(containerId: string): Promise<ContainerResources | undefined>;
  /** Current memory usage in bytes (one stats sample). */
  memoryUsage(containerId: string): Promise<number>;
  /** One stats sample: CPU % and memory (docker stats --no-stream). */
  usage(containerId: string): Promise<ContainerUsage>;
  hostResources(): Promise<HostResources>;
  kill(containerId: string, signal: string): Promise<void>;
  stop(containerId: string, graceSeconds: number): Promise<void>;
  pause(containerId: string): Promise<void>;
  unpause(containerId: string): Promise<void>;
  /** Sets CPU limits in place (docker update); no restart. */
  updateCpu(containerId: string, limits: Partial<CpuLimits>): Promise<void>;
  /** Sets memory limits in place (docker update); no restart. */
  updateMemory(containerId: string, limits: MemoryLimits): Promise<void>;
  /** The ways network commands can reach this engine's containers, best first. */
  netMethods(): NetMethod[];
  /** Runs a command (tc, iptables) in a container's network namespace; nothing outlives it. */
  netExec(containerId: string, argv: string[], method: NetMethod): Promise<ExecResult>;
  /**
   * The cgroup a running container's processes are in (its CPU controller's, on cgroup v1), read
   * from /proc by a one-shot container of `image` in the host's PID namespace: the engine's own
   * cgroup parent (daemon.json) is not in its API. Undefined when the container is not running.
   */
  cgroupPath(containerId: string, image: string): Promise<string | undefined>;
  /** Starts a sidecar (no network, removed when it ends) and returns its id. */
  startSidecar(spec: SidecarSpec): Promise<string>;
  /** docker rm -f: false when there was no such container. */
  removeContainer(containerId: string): Promise<boolean>;
  /** Follows a container's output from its last `tail` lines (docker logs --tail N -f). */
  followLogs(
    containerId: string,
    tail: number,
    onLines: (lines: LogLine[]) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription>;
}

/** What chaosdeck needs from a swarm manager. */
export interface SwarmPort extends ContainerPort {
  info(): Promise<EngineInfo>;
  /**
   * The other managers' endpoints the swarm is followed through while this one cannot serve it
   * (none unless given: `--host` more than once).
   */
  followsThrough?(): string[];
  /** Tells `fn` each time the swarm is followed through another manager, or back; returns the stop function. */
  onManagerSwitch?(fn: (s: ManagerSwitch) => void): () => void;
  /** GET /_ping, failing once `deadlineMs` passed without an answer (a hung connection). */
  ping?(deadlineMs: number): Promise<void>;
  listServices(): Promise<Service[]>;
  /**
   * One list call: every task in the swarm, or (with `serviceIds`) the tasks of those services
   * only, filtered by the engine (an empty list asks for none).
   */
  listTasks(filter?: { serviceIds: readonly string[] }): Promise<Task[]>;
  listNodes(): Promise<SwarmNode[]>;
  nodeAvailability(nodeId: string): Promise<SwarmNode['availability']>;
  setNodeAvailability(nodeId: string, availability: SwarmNode['availability']): Promise<void>;
  serviceLimits(serviceId: string): Promise<ServiceLimits>;
  /** Replaces the service's resource limits (a service update: Swarm restarts its tasks). */
  setServiceLimits(serviceId: string, limits: ServiceLimits): Promise<void>;
  /** docker service scale SERVICE=N (replicated services only). */
  scaleService(serviceId: string, replicas: number): Promise<void>;
  /** docker config create: a small immutable object every manager keeps (raft). */
  createConfig(name: string, labels: Record<string, string>, data: string): Promise<void>;
  /** docker config rm; false when there was no such config (someone removed it first). */
  removeConfig(name: string, deadlineMs?: number): Promise<boolean>;
  /**
   * Sets labels on a config (the only part of one Swarm lets change), as a compare-and-set: only
   * when `when` (given the labels as they are) says yes, and only if nobody changed the config in
   * between (Swarm's version check; tried again on a conflict). 'gone': no such config.
   */
  labelConfig(
    name: string,
    labels: Record<string, string>,
    options?: { when?: (labels: Record<string, string>) => boolean; deadlineMs?: number },
  ): Promise<'done' | 'gone' | 'refused'>;
  /** One config, or undefined when there is none by that name. */
  readConfig(name: string): Promise<SwarmConfig | undefined>;
  /** Starts a fault's watchdog: a one-task service on a manager, restart none. */
  startWatchdog(spec: WatchdogSpec): Promise<void>;
  /** Removes a fault's watchdog; false when there was none. */
  removeWatchdog(faultId: string, deadlineMs?: number): Promise<boolean>;
  /** How a fault's watchdog task stands (undefined: not scheduled yet, or none). */
  watchdogTask(faultId: string): Promise<WatchdogTask | undefined>;
  /** The fault ids of every watchdog in the swarm. */
  listWatchdogs(): Promise<string[]>;
  /** Starts a partition's cutter on its node (a one-task service, host network, NET_ADMIN). */
  startCutter(spec: CutterSpec): Promise<void>;
  /** Removes a partition's cutter; false when there was none. */
  removeCutter(faultId: string, deadlineMs?: number): Promise<boolean>;
  /** How a partition's cutter task stands (undefined: not scheduled yet, or none). */
  cutterTask(faultId: string, deadlineMs?: number): Promise<CutterTask | undefined>;
  /** The configs that carry `label`, with their data. */
  listConfigs(label: string): Promise<SwarmConfig[]>;
  /** docker service update --force: every task replaced by the update policy. */
  restartService(serviceId: string): Promise<void>;
  /**
   * Streams service, node and container events until stopped or dropped;
   * onEnd is called once when the stream ends for any reason other than stop().
   */
  streamEvents(
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription>;
}

/** An endpoint node's engine: its container events are followed like the manager's. */
export interface NodeEventSource {
  /** The node's hostname or id, as given with --node. */
  node: string;
  engine: Pick<SwarmPort, 'streamEvents'>;
}
