import type { CpuLimits, MemoryLimits, NetMethod } from '../domain/fault.js';
import {
  OTHER_NODES,
  type ContainerHealth,
  type ContainerUsage,
  type EngineEvent,
  type LogLine,
  type NodeReach,
} from '../domain/types.js';
import type { DockerEngine, NetOptions } from './client.js';
import { HelperEngine } from './helper-engine.js';
import type { HelperOptions } from './swarm-helper.js';
import type { Endpoint } from './endpoint.js';
import { EngineError } from './errors.js';
import type {
  ContainerPort,
  ContainerResources,
  ExecResult,
  HostResources,
  NodeEventSource,
  SidecarSpec,
  Subscription,
} from './port.js';

/** An engine on another node, connected on first use (and again after a failed connect). */
class LazyEngine implements ContainerPort {
  private engine: Promise<DockerEngine> | undefined;
  /** When the engine last answered a call or sent an event. */
  private answeredAt = 0;
  constructor(
    private readonly where: Endpoint,
    private readonly net: NetOptions,
    /** Told after every call whether the engine answered (any answer, an error too) or not. */
    private readonly report: (answered: boolean, error?: string) => void = () => undefined,
  ) {}

  // Every call says whether the node is reachable: no answer at all is "unreachable".
  private async run<T>(fn: (engine: DockerEngine) => Promise<T>): Promise<T> {
    try {
      const result = await fn(await this.get());
      this.answeredAt = Date.now();
      this.report(true);
      return result;
    } catch (error) {
      const unreachable = !(error instanceof EngineError) || error.kind === 'unreachable';
      this.report(!unreachable, unreachable ? (error as Error).message : undefined);
      throw error;
    }
  }

  /** The node's own engine events (its containers' die, oom, health_status). */
  streamEvents(
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription> {
    const heard = (event: EngineEvent) => {
      this.answeredAt = Date.now();
      onEvent(event);
    };
    return this.run((e) => e.streamEvents(heard, onEnd));
  }

  /**
   * GET /_ping through a fresh connection when the last one failed; none when the engine
   * answered a call or sent an event within `freshMs` (a healthcheck's probes are events every
   * few seconds: that node needs no ping to be known to answer).
   */
  async ping(freshMs = 0): Promise<void> {
    if (Date.now() - this.answeredAt < freshMs) return this.report(true);
    return this.run((e) => e.ping());
  }

  get endpoint(): string {
    return this.where.url;
  }

  private get(): Promise<DockerEngine> {
    // dockerode loads with the first engine, off the console's start-up path.
    this.engine ??= import('./client.js')
      .then(({ DockerEngine }) => DockerEngine.connect(this.where))
      .then(
        (engine) => {
          engine.net = this.net;
          return engine;
        },
        (error: unknown) => {
          this.engine = undefined;
          throw error;
        },
      );
    return this.engine;
  }

  async inspectHealth(id: string): Promise<ContainerHealth | undefined> {
    return this.run((e) => e.inspectHealth(id));
  }
  async inspectResources(id: string): Promise<ContainerResources | undefined> {
    return this.run((e) => e.inspectResources(id));
  }
  async memoryUsage(id: string): Promise<number> {
    return this.run((e) => e.memoryUsage(id));
  }
  async usage(id: string): Promise<ContainerUsage> {
    return this.run((e) => e.usage(id));
  }
  async hostResources(): Promise<HostResources> {
    return this.run((e) => e.hostResources());
  }
  async kill(id: string, signal: string): Promise<void> {
    return this.run((e) => e.kill(id, signal));
  }
  async stop(id: string, grace: number): Promise<void> {
    return this.run((e) => e.stop(id, grace));
  }
  async pause(id: string): Promise<void> {
    return this.run((e) => e.pause(id));
  }
  async unpause(id: string): Promise<void> {
    return this.run((e) => e.unpause(id));
  }
  async updateCpu(id: string, limits: Partial<CpuLimits>): Promise<void> {
    return this.run((e) => e.updateCpu(id, limits));
  }
  async updateMemory(id: string, limits: MemoryLimits): Promise<void> {
    return this.run((e) => e.updateMemory(id, limits));
  }
  netMethods(): NetMethod[] {
    return this.net.nsenter ? ['nsenter', 'helper'] : ['helper'];
  }
  async netExec(id: string, argv: string[], method: NetMethod): Promise<ExecResult> {
    return this.run((e) => e.netExec(id, argv, method));
  }

  async cgroupPath(id: string, image: string): Promise<string | undefined> {
    return this.run((e) => e.cgroupPath(id, image));
  }

  async startSidecar(spec: SidecarSpec): Promise<string> {
    return this.run((e) => e.startSidecar(spec));
  }

  async removeContainer(id: string): Promise<boolean> {
    return this.run((e) => e.removeContainer(id));
  }
  async followLogs(
    id: string,
    tail: number,
    onLines: (lines: LogLine[]) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription> {
    return this.run((e) => e.followLogs(id, tail, onLines, onEnd));
  }
}

/**
 * The engine for each node: the manager's for its own node, the --node endpoints for the others
 * (by hostname), helper tasks through Swarm for the rest when asked for, none otherwise.
 */
export class NodeEngines {
  private readonly lazy = new Map<string, LazyEngine>();
  private readonly helperEngines = new Map<string, HelperEngine>();
  private readonly reached = new Map<string, NodeReach>();
  private readonly listeners = new Set<(name: string, reach: NodeReach) => void>();

  constructor(
    private readonly manager: ContainerPort,
    private readonly managerNodeId: string,
    endpoints: Map<string, Endpoint>,
    private readonly hostnameOf: (nodeId: string) => string | undefined,
    private readonly net: NetOptions = {
      tcImage: 'ghcr.io/alexei-led/pumba-alpine-nettools:latest',
      nsenter: false,
    },
    /** Nodes without an endpoint: helper tasks created through the manager. */
    private helpers?: HelperOptions & { manager: DockerEngine; follow?: boolean },
  ) {
    if (helpers) this.reached.set(OTHER_NODES, { kind: 'helper', image: helpers.image });
    // nsenter reaches only containers on this machine: engines behind a local unix socket.
    for (const [name, endpoint] of endpoints) {
      this.reached.set(name, { kind: 'endpoint', url: endpoint.url });
      this.lazy.set(
        name,
        new LazyEngine(
          endpoint,
          { ...net, nsenter: net.nsenter && endpoint.kind === 'unix' },
          (answered, error) =>
            this.setReach(
              name,
              answered
                ? { kind: 'endpoint', url: endpoint.url }
                : { kind: 'unreachable', url: endpoint.url, error: error ?? 'no answer' },
            ),
        ),
      );
    }
  }

  private setReach(name: string, reach: NodeReach): void {
    const before = this.reached.get(name);
    this.reached.set(name, reach);
    if (before?.kind !== reach.kind) for (const listener of this.listeners) listener(name, reach);
  }

  /** The endpoint nodes' engines, for their event streams. */
  eventSources(): NodeEventSource[] {
    return [...this.lazy].map(([node, engine]) => ({ node, engine }));
  }

  /** The node names with a --node endpoint. */
  endpointNames(): string[] {
    return [...this.lazy.keys()];
  }

  /**
   * Asks a node's engine whether it answers (the reach listeners hear the result), unless it
   * answered something within `freshMs`.
   */
  async ping(name: string, freshMs = 0): Promise<void> {
    await this.lazy.get(name)?.ping(freshMs);
  }

  /** How a node (by id) is reached now. */
  reachOf(nodeId: string): NodeReach {
    if (nodeId === this.managerNodeId) return { kind: 'manager' };
    const name = this.hostnameOf(nodeId);
    return (name && this.reached.get(name)) || this.reached.get(nodeId) || { kind: 'none' };
  }

  /** Every endpoint node's reach, by the name it was given. */
  reachByName(): Map<string, NodeReach> {
    return new Map(this.reached);
  }

  /** Hears when an endpoint node stops or starts answering; returns the stop function. */
  onReach(listener: (name: string, reach: NodeReach) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Turns helpers on for nodes without an endpoint (the console's offer, answered y). */
  enableHelpers(helpers: HelperOptions & { manager: DockerEngine; follow?: boolean }): void {
    this.helpers = helpers;
    this.setReach(OTHER_NODES, { kind: 'helper', image: helpers.image });
  }

  /** Stops the helpers that follow live facts (health, usage, logs); settles once removed. */
  async close(): Promise<void> {
    await Promise.all([...this.helperEngines.values()].map((helper) => helper.close()));
  }

  /** The engine that runs containers on a node, or undefined when there is none. */
  forNode(nodeId: string): ContainerPort | undefined {
    if (nodeId === this.managerNodeId) return this.manager;
    const name = this.hostnameOf(nodeId);
    const endpoint = (name && this.lazy.get(name)) || this.lazy.get(nodeId);
    if (endpoint || !this.helpers) return endpoint;
    let helper = this.helperEngines.get(nodeId);
    if (!helper) {
      const { manager, ...options } = this.helpers;
      helper = new HelperEngine(
        manager.raw,
        { id: nodeId, name: name ?? nodeId },
        { ...options, tcImage: this.net.tcImage },
      );
      this.helperEngines.set(nodeId, helper);
    }
    return helper;
  }
}
