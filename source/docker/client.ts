import { HELPER_LABEL } from './swarm-helper.js';
import { readFileSync } from 'node:fs';
import type { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { loadDockerode } from './load-dockerode.js';
import { sshAgent } from './ssh-dial.js';
import type {
  ContainerHealth,
  ContainerUsage,
  EngineEvent,
  EngineInfo,
  LogLine,
  Service,
  SwarmNode,
  Task,
} from '../domain/types.js';
import { negotiateApiVersion, type Endpoint } from './endpoint.js';
import { engineDeadlineMs, withDeadline } from './deadline.js';
import { EngineError, isDockerMessage, notEngineError, toEngineError } from './errors.js';
import {
  mapConfig,
  mapEvent,
  mapHealth,
  mapInfo,
  mapNode,
  mapService,
  mapTask,
  type RawConfig,
} from './map.js';
import {
  createWatchdog,
  listWatchdogs,
  removeWatchdog,
  WATCHDOG_LABEL,
  watchdogTask,
} from './watchdog-service.js';
import { ManagerFollow, type ManagerLink } from './manager-follow.js';
import { createCutter, CUTTER_LABEL, cutterTask, removeCutter } from './cutter-service.js';
import type {
  ContainerResources,
  CutterSpec,
  CutterTask,
  ExecResult,
  HostResources,
  ManagerSwitch,
  SidecarSpec,
  SwarmConfig,
  SwarmPort,
  Subscription,
  WatchdogSpec,
  WatchdogTask,
} from './port.js';
import { helperExec, nsenterExec, readCgroupPath } from './net-exec.js';
import type { CpuLimits, MemoryLimits, NetMethod, ServiceLimits } from '../domain/fault.js';
import * as ops from './container-ops.js';
import { followLogs } from './container-logs.js';
import type { RawContainer, RawEvent, RawInfo, RawNode, RawService, RawTask } from './raw.js';

/**
 * The events the console follows. Each healthcheck probe is three container events
 * (exec_create, exec_start, exec_die); only its end says anything (its result is in the health
 * log then), so the engine is asked to leave the first two out: on a node running many
 * healthchecked containers they were two thirds of the stream.
 */
const EVENTS = [
  // Services and nodes.
  'create',
  'update',
  'remove',
  // Containers: what changes a task's state, why it ended, and what changes its health.
  'start',
  'die',
  'kill',
  'stop',
  'oom',
  'destroy',
  'restart',
  'pause',
  'unpause',
  'exec_die',
  'health_status',
];

/** The newest Engine API version chaosdeck was written against. */
export const CLIENT_API_VERSION = '1.45';

// dockerode without its BuildKit session (gRPC) and ssh agent until they are used.
const DockerodeClient = loadDockerode();

/** Dockerode connection options for an endpoint (reads TLS material from disk). */
export function dockerodeOptions(endpoint: Endpoint): Dockerode.DockerOptions {
  switch (endpoint.kind) {
    case 'unix':
      return { socketPath: endpoint.path };
    case 'tcp': {
      if (!endpoint.tls) return { host: endpoint.host, port: endpoint.port, protocol: 'http' };
      const dir = endpoint.certPath ?? join(homedir(), '.docker');
      const files = endpoint.files ?? {
        ca: join(dir, 'ca.pem'),
        cert: join(dir, 'cert.pem'),
        key: join(dir, 'key.pem'),
      };
      const namedBy = endpoint.namedBy ?? (endpoint.certPath ? 'DOCKER_CERT_PATH' : dir);
      const read = (path: string | undefined) => {
        if (!path) return undefined;
        try {
          return readFileSync(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          throw new EngineError(
            'unreachable',
            `TLS for ${endpoint.url}: cannot read ${path} (${code}), named by ${namedBy}; give the directory with ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH, or --tlscacert/--tlscert/--tlskey`,
          );
        }
      };
      const verify = endpoint.verify !== false;
      const [ca, cert, key] = [
        read(verify ? files.ca : undefined),
        read(files.cert),
        read(files.key),
      ];
      // Node's https (and tls with it, ~2 MB of memory) is loaded for a TLS endpoint only.
      const { Agent } = createRequire(import.meta.url)('node:https') as {
        Agent: typeof HttpsAgent;
      };
      const agent = new Agent({
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key } : {}),
        // docker --tls without --tlsverify: encrypted, the engine's certificate not checked.
        rejectUnauthorized: verify,
        // A TLS proxy that does not resume sessions (socat) refuses a resumed one: none are kept.
        maxCachedSessions: 0,
      });
      return {
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        agent,
      } as Dockerode.DockerOptions;
    }
    case 'ssh':
      // Through the system ssh, as the docker CLI does (keys, aliases, known_hosts).
      return {
        protocol: 'http',
        host: 'docker',
        port: 80,
        agent: sshAgent({
          host: endpoint.host,
          port: endpoint.port,
          ...(endpoint.user ? { user: endpoint.user } : {}),
        }),
      } as Dockerode.DockerOptions;
  }
}

/** How network faults reach this engine's containers. */
export interface NetOptions {
  /** Image with tc and iptables for helper containers. */
  tcImage: string;
  /** nsenter works: chaosdeck runs as root on the machine of this engine. */
  nsenter: boolean;
}

/** Connects and negotiates the API version with the engine, like the docker CLI. */
async function connectClient(endpoint: Endpoint): Promise<{ docker: Dockerode; api: string }> {
  const options = dockerodeOptions(endpoint);
  const probe = new DockerodeClient(options);
  try {
    const version = (await withDeadline(probe.version(), engineDeadlineMs(), endpoint.url)) as
      { ApiVersion?: unknown } | undefined;
    if (typeof version?.ApiVersion !== 'string') throw notEngineError(endpoint);
    const api = negotiateApiVersion(version.ApiVersion, CLIENT_API_VERSION);
    return { docker: new DockerodeClient({ ...options, version: `v${api}` }), api };
  } catch (error) {
    // Anything that answers HTTP but not Docker's JSON (a web server, a proxy) is not an engine.
    const status = (error as { statusCode?: number; json?: unknown }).statusCode;
    if (status !== undefined && !isDockerMessage((error as { json?: unknown }).json))
      throw notEngineError(endpoint, status);
    throw toEngineError(error, endpoint);
  }
}

/** Another manager's client, named by its engine (for the lines that say it is used). */
async function connectLink(endpoint: Endpoint): Promise<ManagerLink> {
  const { docker } = await connectClient(endpoint);
  // 3 s at most: a manager's info waits on its raft in an election (the name is asked again when
  // a switch to it is told).
  const info = (await withDeadline(docker.info(), 3000, endpoint.url).catch(() => undefined)) as
    RawInfo | undefined;
  return { docker, where: endpoint, ...(info?.Name ? { name: info.Name } : {}) };
}

/** Service ids per task-list call: ~40 × 25 characters, ~3 KB of URL once encoded. */
const TASK_FILTER_IDS = 40;

/** A dockerode-backed engine client; raw shapes are mapped to domain types here. */
export class DockerEngine implements SwarmPort {
  readonly endpoint: string;
  /** Set by the entry: how network commands reach containers. */
  net: NetOptions = { tcImage: 'ghcr.io/alexei-led/pumba-alpine-nettools:latest', nsenter: false };
  private hostMemory: Promise<number | undefined> | undefined;
  private follow: ManagerFollow | undefined;
  private following: Dockerode | undefined;
  /** How long one call may take (ms); a call past it fails as unreachable. */
  readonly deadlineMs = engineDeadlineMs();
  private constructor(
    private readonly docker: Dockerode,
    private readonly where: Endpoint,
    readonly apiVersion: string,
  ) {
    this.endpoint = where.url;
  }

  /** Connects and negotiates the API version with the engine, like the docker CLI. */
  static async connect(endpoint: Endpoint): Promise<DockerEngine> {
    const { docker, api } = await connectClient(endpoint);
    return new DockerEngine(docker, endpoint, api);
  }

  /**
   * The underlying client, for other adapters in source/docker/ only; while other managers are
   * followed, one that goes to the manager used now.
   */
  get raw(): Dockerode {
    return this.follow ? (this.following ??= this.follow.followingClient()) : this.docker;
  }

  /**
   * Follows the swarm through `others` (other managers' endpoints) while this engine's manager
   * cannot serve it: the calls Swarm answers go through the first that can, and come back here
   * once this one answers again. Container calls stay with this engine (its node's containers).
   */
  followManagers(others: Endpoint[], name?: string): ManagerFollow {
    this.follow = new ManagerFollow(
      { docker: this.docker, where: this.where, ...(name ? { name } : {}) },
      others,
      connectLink,
    );
    return this.follow;
  }

  /** The other managers' endpoints the swarm is followed through (none unless given). */
  followsThrough(): string[] {
    return this.follow?.endpoints ?? [];
  }

  onManagerSwitch(fn: (s: ManagerSwitch) => void): () => void {
    return this.follow?.onSwitch(fn) ?? (() => undefined);
  }

  /** A call Swarm answers: through this engine's manager, or the one followed while it cannot. */
  private swarmCall<T>(
    fn: (docker: Dockerode) => Promise<T>,
    deadlineMs = this.deadlineMs,
    read = false,
  ): Promise<T> {
    if (this.follow) return this.follow.run(fn, deadlineMs, read);
    return this.call(() => fn(this.docker), deadlineMs);
  }

  /** A read Swarm answers (asked again elsewhere sooner while other managers are followed). */
  private swarmRead<T>(fn: (docker: Dockerode) => Promise<T>, deadlineMs?: number): Promise<T> {
    return this.swarmCall(fn, deadlineMs, true);
  }

  /** Runs a call with a deadline and converts its failure into an EngineError. */
  async call<T>(fn: () => Promise<T>, deadlineMs = this.deadlineMs): Promise<T> {
    try {
      return await withDeadline(fn(), deadlineMs, this.where.url);
    } catch (error) {
      throw toEngineError(error, this.where);
    }
  }

  async info(): Promise<EngineInfo> {
    const raw = (await this.call(() => this.docker.info())) as RawInfo;
    return mapInfo(raw, this.apiVersion);
  }

  async listServices(): Promise<Service[]> {
    const raw = (await this.swarmRead((docker) =>
      docker.listServices({ status: true } as Dockerode.ServiceListOptions),
    )) as unknown as RawService[];
    // chaosdeck's own helper tasks are tools, not part of the swarm under test.
    return raw.filter((s) => !s.Spec?.Labels?.[HELPER_LABEL]).map(mapService);
  }

  async listTasks(filter?: { serviceIds: readonly string[] }): Promise<Task[]> {
    if (!filter) return this.tasksOf(undefined);
    // The filter travels in the URL: a few dozen ids per call keeps it far below the 8-16 KB
    // a proxy or a Node-based engine API accepts in a request head (HTTP 431 beyond that).
    const calls: Promise<Task[]>[] = [];
    for (let i = 0; i < filter.serviceIds.length; i += TASK_FILTER_IDS)
      calls.push(this.tasksOf(filter.serviceIds.slice(i, i + TASK_FILTER_IDS)));
    return (await Promise.all(calls)).flat();
  }

  private async tasksOf(serviceIds: readonly string[] | undefined): Promise<Task[]> {
    let ids = serviceIds ? [...serviceIds] : undefined;
    for (;;) {
      if (ids?.length === 0) return [];
      try {
        const raw = (await this.swarmRead((docker) =>
          docker.listTasks(ids ? { filters: { service: ids } } : undefined),
        )) as RawTask[];
        // chaosdeck's own helpers and watchdogs are tools, not tasks of the swarm under test.
        return raw
          .filter((t) => {
            const labels = t.Spec?.ContainerSpec?.Labels;
            return !labels?.[HELPER_LABEL] && !labels?.[WATCHDOG_LABEL] && !labels?.[CUTTER_LABEL];
          })
          .map(mapTask);
      } catch (error) {
        // The engine refuses the whole call when one service in the filter is gone (removed
        // since the service list named it): ask again without it.
        const gone = /service (\S+) not found/.exec((error as Error).message)?.[1];
        if (!ids || !gone || !ids.includes(gone)) throw error;
        ids = ids.filter((id) => id !== gone);
      }
    }
  }

  /** Removes helper services a killed chaosdeck left behind; returns how many. */
  async removeHelperServices(): Promise<number> {
    const raw = (
      (await this.swarmCall((docker) =>
        docker.listServices({ filters: { label: [HELPER_LABEL] } }),
      )) as unknown as { ID: string; Spec?: { Labels?: Record<string, string> } }[]
    ).filter((s) => !s.Spec?.Labels?.[WATCHDOG_LABEL] && !s.Spec?.Labels?.[CUTTER_LABEL]);
    // Watchdogs and cutters are not leftovers: each belongs to a fault of the swarm's ledger,
    // whose undo removes it.
    await Promise.all(raw.map((s) => this.swarmCall((docker) => docker.getService(s.ID).remove())));
    return raw.length;
  }

  startWatchdog(spec: WatchdogSpec): Promise<void> {
    return this.swarmCall((docker) => createWatchdog(docker, spec));
  }

  removeWatchdog(faultId: string, deadlineMs?: number): Promise<boolean> {
    return this.swarmCall((docker) => removeWatchdog(docker, faultId), deadlineMs);
  }

  watchdogTask(faultId: string): Promise<WatchdogTask | undefined> {
    return this.swarmRead((docker) => watchdogTask(docker, faultId));
  }

  listWatchdogs(): Promise<string[]> {
    return this.swarmRead((docker) => listWatchdogs(docker));
  }

  startCutter(spec: CutterSpec): Promise<void> {
    return this.swarmCall((docker) => createCutter(docker, spec, this.net.tcImage));
  }

  removeCutter(faultId: string, deadlineMs?: number): Promise<boolean> {
    return this.swarmCall((docker) => removeCutter(docker, faultId), deadlineMs);
  }

  cutterTask(faultId: string, deadlineMs?: number): Promise<CutterTask | undefined> {
    return this.swarmRead((docker) => cutterTask(docker, faultId), deadlineMs);
  }

  async listNodes(): Promise<SwarmNode[]> {
    const raw = (await this.swarmRead((docker) => docker.listNodes())) as unknown as RawNode[];
    return raw.map(mapNode);
  }

  async inspectHealth(containerId: string): Promise<ContainerHealth | undefined> {
    try {
      const raw = (await this.call(() =>
        this.docker.getContainer(containerId).inspect(),
      )) as unknown as RawContainer;
      return mapHealth(raw);
    } catch (error) {
      const e = toEngineError(error, this.where);
      if (e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async inspectResources(containerId: string): Promise<ContainerResources | undefined> {
    try {
      return await this.call(() => ops.readResources(this.docker, containerId));
    } catch (error) {
      const e = toEngineError(error, this.where);
      if (e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  memoryUsage(containerId: string): Promise<number> {
    return this.call(() => ops.readMemoryUsage(this.docker, containerId));
  }

  usage(containerId: string): Promise<ContainerUsage> {
    // The host's memory once per engine: a limit equal to it is no limit.
    this.hostMemory ??= ops.readHost(this.docker).then(
      (h) => h.memoryBytes,
      () => undefined,
    );
    return this.call(async () => ops.readUsage(this.docker, containerId, await this.hostMemory));
  }

  /** GET /_ping: the engine answers (within `deadlineMs`, default the calls' deadline). */
  async ping(deadlineMs = this.deadlineMs): Promise<void> {
    await this.call(() => this.docker.ping(), deadlineMs);
  }

  hostResources(): Promise<HostResources> {
    return this.call(() => ops.readHost(this.docker));
  }

  async kill(containerId: string, signal: string): Promise<void> {
    await this.call(() => this.docker.getContainer(containerId).kill({ signal }));
  }

  async stop(containerId: string, graceSeconds: number): Promise<void> {
    // The engine answers once the grace is over and the container is stopped.
    await this.call(
      () => this.docker.getContainer(containerId).stop({ t: graceSeconds }),
      this.deadlineMs + graceSeconds * 1000,
    );
  }

  async pause(containerId: string): Promise<void> {
    await this.call(() => this.docker.getContainer(containerId).pause());
  }

  async unpause(containerId: string): Promise<void> {
    await this.call(() => this.docker.getContainer(containerId).unpause());
  }

  updateCpu(containerId: string, limits: Partial<CpuLimits>): Promise<void> {
    return this.call(() => ops.writeCpu(this.docker, containerId, limits));
  }

  updateMemory(containerId: string, limits: MemoryLimits): Promise<void> {
    return this.call(() => ops.writeMemory(this.docker, containerId, limits));
  }

  netMethods(): NetMethod[] {
    return this.net.nsenter ? ['nsenter', 'helper'] : ['helper'];
  }

  cgroupPath(containerId: string, image: string): Promise<string | undefined> {
    return this.call(
      () => readCgroupPath(this.docker, containerId, image),
      this.deadlineMs + 15_000,
    );
  }

  async createConfig(name: string, labels: Record<string, string>, data: string): Promise<void> {
    await this.swarmCall((docker) =>
      docker.createConfig({
        Name: name,
        Labels: labels,
        Data: Buffer.from(data, 'utf8').toString('base64'),
      }),
    );
  }

  async removeConfig(name: string, deadlineMs = this.deadlineMs): Promise<boolean> {
    try {
      await this.swarmCall((docker) => docker.getConfig(name).remove(), deadlineMs);
      return true;
    } catch (error) {
      if (toEngineError(error, this.where).kind === 'not-found') return false;
      throw error;
    }
  }

  async labelConfig(
    name: string,
    labels: Record<string, string>,
    options: { when?: (labels: Record<string, string>) => boolean; deadlineMs?: number } = {},
  ): Promise<'done' | 'gone' | 'refused'> {
    // Swarm refuses an update whose version is not the config's latest: two writers at once, one
    // wins and the other reads again and decides again (a claim and a heartbeat, say).
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.swarmCall(async (docker) => {
          const config = docker.getConfig(name);
          const raw = (await config.inspect()) as unknown as RawConfig;
          const spec = raw.Spec ?? {};
          if (options.when && !options.when(spec.Labels ?? {})) return 'refused';
          await config.update({
            _query: { version: raw.Version?.Index ?? 0 },
            _body: { ...spec, Labels: { ...spec.Labels, ...labels } },
          });
          return 'done';
        }, options.deadlineMs);
      } catch (error) {
        const e = toEngineError(error, this.where);
        if (e.kind === 'not-found') return 'gone';
        if (attempt < 4 && /out of sequence/i.test(e.message)) continue;
        throw error;
      }
    }
  }

  async readConfig(name: string): Promise<SwarmConfig | undefined> {
    try {
      const raw = (await this.swarmRead((docker) => docker.getConfig(name).inspect())) as RawConfig;
      return mapConfig(raw);
    } catch (error) {
      if (toEngineError(error, this.where).kind === 'not-found') return undefined;
      throw error;
    }
  }

  async listConfigs(label: string): Promise<SwarmConfig[]> {
    const raw = (await this.swarmRead((docker) =>
      docker.listConfigs({ filters: { label: [label] } }),
    )) as unknown as RawConfig[];
    return raw.map(mapConfig);
  }

  startSidecar(spec: SidecarSpec): Promise<string> {
    return this.call(() => ops.startSidecar(this.docker, spec));
  }

  removeContainer(containerId: string): Promise<boolean> {
    return this.call(() => ops.removeContainer(this.docker, containerId));
  }

  netExec(containerId: string, argv: string[], method: NetMethod): Promise<ExecResult> {
    // A helper container is created, started and waited for: its own 15 s bound and some.
    return this.call(
      () =>
        method === 'nsenter'
          ? nsenterExec(this.docker, containerId, argv)
          : helperExec(this.docker, this.net.tcImage, containerId, argv),
      this.deadlineMs + 30_000,
    );
  }

  nodeAvailability(nodeId: string): Promise<SwarmNode['availability']> {
    return this.swarmRead((docker) => ops.readAvailability(docker, nodeId));
  }

  setNodeAvailability(nodeId: string, availability: SwarmNode['availability']): Promise<void> {
    return this.swarmCall((docker) => ops.writeAvailability(docker, nodeId, availability));
  }

  serviceLimits(serviceId: string): Promise<ServiceLimits> {
    return this.swarmRead((docker) => ops.readServiceLimits(docker, serviceId));
  }

  setServiceLimits(serviceId: string, limits: ServiceLimits): Promise<void> {
    return this.swarmCall((docker) => ops.writeServiceLimits(docker, serviceId, limits));
  }

  scaleService(serviceId: string, replicas: number): Promise<void> {
    return this.swarmCall((docker) => ops.writeReplicas(docker, serviceId, replicas));
  }

  restartService(serviceId: string): Promise<void> {
    return this.swarmCall((docker) => ops.forceUpdate(docker, serviceId));
  }

  followLogs(
    containerId: string,
    tail: number,
    onLines: (lines: LogLine[]) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription> {
    return this.call(() => followLogs(this.docker, containerId, tail, onLines, onEnd));
  }

  async streamEvents(
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription> {
    const stream = (await this.swarmCall((docker) =>
      docker.getEvents({ filters: { type: ['service', 'node', 'container'], event: EVENTS } }),
    )) as NodeJS.ReadableStream & { destroy(): void };
    let stopped = false;
    let ended = false;
    let buffer = '';
    // A manager cut off from its swarm still streams, but hears nothing of it: when the swarm is
    // followed through another manager, the stream ends, and its watcher starts one there.
    const unfollow = this.follow?.onSwitch((s) => {
      end(new EngineError('unreachable', `the swarm is followed through ${s.to} now`));
      stream.destroy();
    });
    const end = (error?: Error) => {
      unfollow?.();
      if (stopped || ended) return;
      ended = true;
      onEnd(error ? toEngineError(error, this.where) : undefined);
    };
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        try {
          onEvent(mapEvent(JSON.parse(line) as RawEvent));
        } catch {
          // A malformed line is dropped: events are only hints to refresh.
        }
      }
    });
    stream.on('error', (error: Error) => end(error));
    stream.on('end', () => end());
    stream.on('close', () => end());
    return {
      stop: () => {
        stopped = true;
        unfollow?.();
        stream.destroy();
      },
    };
  }
}
