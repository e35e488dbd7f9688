import type { CpuLimits, MemoryLimits, NetMethod } from '../domain/fault.js';
import type { ContainerHealth, ContainerUsage, LogLine } from '../domain/types.js';
import type { DockerEngine, NetOptions } from './client.js';
import type { Endpoint } from './endpoint.js';
import type {
  ContainerPort,
  ContainerResources,
  ExecResult,
  HostResources,
  Subscription,
} from './port.js';

/** An engine on another node, connected on first use (and again after a failed connect). */
class LazyEngine implements ContainerPort {
  private engine: Promise<DockerEngine> | undefined;
  constructor(
    private readonly where: Endpoint,
    private readonly net: NetOptions,
  ) {}

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
    return (await this.get()).inspectHealth(id);
  }
  async inspectResources(id: string): Promise<ContainerResources | undefined> {
    return (await this.get()).inspectResources(id);
  }
  async memoryUsage(id: string): Promise<number> {
    return (await this.get()).memoryUsage(id);
  }
  async usage(id: string): Promise<ContainerUsage> {
    return (await this.get()).usage(id);
  }
  async hostResources(): Promise<HostResources> {
    return (await this.get()).hostResources();
  }
  async kill(id: string, signal: string): Promise<void> {
    return (await this.get()).kill(id, signal);
  }
  async stop(id: string, grace: number): Promise<void> {
    return (await this.get()).stop(id, grace);
  }
  async pause(id: string): Promise<void> {
    return (await this.get()).pause(id);
  }
  async unpause(id: string): Promise<void> {
    return (await this.get()).unpause(id);
  }
  async updateCpu(id: string, limits: Partial<CpuLimits>): Promise<void> {
    return (await this.get()).updateCpu(id, limits);
  }
  async updateMemory(id: string, limits: MemoryLimits): Promise<void> {
    return (await this.get()).updateMemory(id, limits);
  }
  netMethods(): NetMethod[] {
    return this.net.nsenter ? ['nsenter', 'helper'] : ['helper'];
  }
  async netExec(id: string, argv: string[], method: NetMethod): Promise<ExecResult> {
    return (await this.get()).netExec(id, argv, method);
  }
  async followLogs(
    id: string,
    tail: number,
    onLines: (lines: LogLine[]) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription> {
    return (await this.get()).followLogs(id, tail, onLines, onEnd);
  }
}

/**
 * The engine for each node: the manager's for its own node, the --node endpoints for the others
 * (by hostname), none otherwise.
 */
export class NodeEngines {
  private readonly lazy = new Map<string, LazyEngine>();

  constructor(
    private readonly manager: ContainerPort,
    private readonly managerNodeId: string,
    endpoints: Map<string, Endpoint>,
    private readonly hostnameOf: (nodeId: string) => string | undefined,
    net: NetOptions = {
      tcImage: 'ghcr.io/alexei-led/pumba-alpine-nettools:latest',
      nsenter: false,
    },
  ) {
    // nsenter reaches only containers on this machine: engines behind a local unix socket.
    for (const [name, endpoint] of endpoints) {
      this.lazy.set(
        name,
        new LazyEngine(endpoint, { ...net, nsenter: net.nsenter && endpoint.kind === 'unix' }),
      );
    }
  }

  /** The engine that runs containers on a node, or undefined when there is none. */
  forNode(nodeId: string): ContainerPort | undefined {
    if (nodeId === this.managerNodeId) return this.manager;
    const name = this.hostnameOf(nodeId);
    return (name && this.lazy.get(name)) || this.lazy.get(nodeId);
  }
}
