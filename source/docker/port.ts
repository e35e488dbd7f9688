import type {
  ContainerHealth,
  EngineEvent,
  EngineInfo,
  Service,
  SwarmNode,
  Task,
} from '../domain/types.js';

/** A live subscription; call stop to end it. */
export interface Subscription {
  stop(): void;
}

/** What chaosdeck needs from the engine that runs a container. */
export interface ContainerPort {
  /** The endpoint in the user's words, e.g. unix:///var/run/docker.sock. */
  readonly endpoint: string;
  /** Health and lifecycle of a container; undefined when the engine does not know it. */
  inspectHealth(containerId: string): Promise<ContainerHealth | undefined>;
}

/** What chaosdeck needs from a swarm manager. */
export interface SwarmPort extends ContainerPort {
  info(): Promise<EngineInfo>;
  listServices(): Promise<Service[]>;
  /** One list call for every task in the swarm. */
  listTasks(): Promise<Task[]>;
  listNodes(): Promise<SwarmNode[]>;
  /**
   * Streams service, node and container events until stopped or dropped;
   * onEnd is called once when the stream ends for any reason other than stop().
   */
  streamEvents(
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription>;
}
