import type Dockerode from 'dockerode';
import type { CpuLimits, MemoryLimits, NetMethod } from '../domain/fault.js';
import type { ContainerHealth, ContainerUsage, LogLine } from '../domain/types.js';
import { cpuFlags, parseDockerSize, parseStats, STATS_FORMAT, statsLine } from './cli-text.js';
import { resourcesOf, type RawInspect } from './container-ops.js';
import { withDeadline } from './deadline.js';
import { cgroupPathOf } from './net-exec.js';
import { EngineError } from './errors.js';
import { HelperStreams } from './helper-streams.js';
import { LatestLines } from './latest-lines.js';
import { mapHealth } from './map.js';
import type { RawContainer } from './raw.js';
import type {
  ContainerPort,
  ContainerResources,
  ExecResult,
  HostResources,
  SidecarSpec,
  Subscription,
} from './port.js';
import { HelperError, runSwarmHelper, type HelperOptions } from './swarm-helper.js';

/** A one-shot helper's whole run: its task's 30 s, and the calls that create and remove it. */
const HELPER_DEADLINE_MS = 45_000;

/**
 * A node without an endpoint, reached through Swarm: every action is one short-lived helper task
 * on that node running the docker CLI against the node's own socket. Live health, usage and logs
 * are long-running helpers instead (one per container while it is watched, not a task per
 * sample), stopped when no longer asked for and by close().
 */
export class HelperEngine implements ContainerPort {
  /** Said where an endpoint would be: how this node is reached. */
  readonly endpoint: string;
  readonly costly = true;
  constructor(
    private readonly manager: Dockerode,
    private readonly node: { id: string; name: string },
    private readonly options: HelperOptions & {
      tcImage: string;
      /**
       * Follow live facts with long-running helpers (the console); a command asks once and
       * ends, so it inspects with one-shot helpers instead.
       */
      follow?: boolean;
    },
  ) {
    this.endpoint = `helper on ${node.name} (${options.image})`;
    this.streams = new HelperStreams(manager, { ...options, nodeId: node.id, nodeName: node.name });
    this.live = new LatestLines((command, onLines, onEnd) =>
      this.streams.follow(command, onLines, onEnd),
    );
  }
  private readonly live: LatestLines;
  private readonly streams: HelperStreams;

  /** Stops the long-running helpers (live health, usage, logs); settles once they are removed. */
  async close(): Promise<void> {
    this.hostMemory.clear();
    await Promise.all([this.streams.close(), this.live.close()]);
  }

  // A long-running helper's answer, or the EngineError that says why there is none.
  private async latest(
    key: string,
    command: string[],
    accept: (text: string) => boolean,
  ): Promise<string | undefined> {
    const answer = await this.live.latest(key, command, (l) => accept(l.text));
    if (answer.line !== undefined) return answer.line;
    if (answer.said && /no such (container|object)/i.test(answer.said)) return undefined;
    const why = answer.error?.message ?? answer.said ?? 'it printed nothing';
    throw new EngineError('engine', `${why} (through a helper on ${this.node.name})`);
  }

  private async docker(args: string[]): Promise<string> {
    let result: ExecResult;
    try {
      // Bounded as a whole: each of its calls goes through the manager, which may hang.
      result = await withDeadline(
        runSwarmHelper(this.manager, {
          ...this.options,
          nodeId: this.node.id,
          nodeName: this.node.name,
          args,
        }),
        HELPER_DEADLINE_MS,
        `${this.node.name} (a helper through the manager)`,
      );
    } catch (error) {
      if (error instanceof HelperError) throw new EngineError('engine', error.message);
      throw error;
    }
    if (result.exitCode === 0) return result.stdout;
    const said = (result.stderr || result.stdout)
      .trim()
      .replace(/^Error response from daemon: /, '');
    const kind = /no such (container|object)/i.test(said) ? 'not-found' : 'engine';
    throw new EngineError(
      kind,
      `${said || `docker ${args[0]} exited ${result.exitCode}`} (through a helper on ${this.node.name})`,
    );
  }

  /** The container's inspect, once a second, from one helper while it is asked for. */
  async inspectHealth(id: string): Promise<ContainerHealth | undefined> {
    if (!this.options.follow) {
      const raw = await this.inspectOnce(id);
      return raw === undefined ? undefined : mapHealth(raw as RawContainer);
    }
    const script = 'while docker container inspect --format "{{json .}}" "$0"; do sleep 1; done';
    const line = await this.latest(`health ${id}`, ['sh', '-c', script, id], (t) =>
      t.startsWith('{'),
    );
    return line === undefined ? undefined : mapHealth(JSON.parse(line) as RawContainer);
  }

  async inspectResources(id: string): Promise<ContainerResources | undefined> {
    const raw = await this.inspectOnce(id);
    return raw === undefined ? undefined : resourcesOf(raw as RawInspect);
  }

  // One docker container inspect through a one-shot helper; undefined when there is no such.
  private async inspectOnce(id: string): Promise<unknown> {
    try {
      const text = await this.docker(['container', 'inspect', '--format', '{{json .}}', id]);
      return JSON.parse(text) as unknown;
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  async memoryUsage(id: string): Promise<number> {
    const text = await this.docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', id]);
    const bytes = parseDockerSize(text.split('/')[0] ?? '');
    if (bytes === undefined)
      throw new EngineError(
        'engine',
        `unreadable memory usage "${text.trim()}" from ${this.node.name}`,
      );
    return bytes;
  }

  /** The latest of `docker stats` (it streams a sample a second) from one helper. */
  async usage(id: string): Promise<ContainerUsage> {
    if (!this.options.follow) {
      const text = await this.docker(['stats', '--no-stream', '--format', STATS_FORMAT, id]);
      const usage = parseStats(statsLine(text));
      if (!usage) throw new EngineError('engine', `unreadable stats "${text.trim()}"`);
      return usage;
    }
    // The host's memory first: a container without a limit shows it as its limit.
    const script = `echo host $(docker info --format "{{.MemTotal}}"); exec docker stats --format "${STATS_FORMAT}" "$0"`;
    const key = `usage ${id}`;
    const line = await this.latest(key, ['sh', '-c', script, id], (t) => {
      const host = /^host (\d+)/.exec(t);
      if (host) this.hostMemory.set(key, Number(host[1]));
      return statsLine(t) !== '';
    });
    const host = this.hostMemory.get(key);
    const usage = line === undefined ? undefined : parseStats(statsLine(line), host);
    if (!usage) throw new EngineError('not-found', `no stats for ${id} on ${this.node.name}`);
    return usage;
  }
  private readonly hostMemory = new Map<string, number>();

  async hostResources(): Promise<HostResources> {
    const text = await this.docker([
      'info',
      '--format',
      '{{.NCPU}} {{.MemTotal}} {{.CgroupDriver}}',
    ]);
    const [cpus, memory, driver] = text.trim().split(/\s+/);
    return {
      cpus: Number(cpus ?? 0),
      memoryBytes: Number(memory ?? 0),
      ...(driver ? { cgroupDriver: driver } : {}),
    };
  }

  async kill(id: string, signal: string): Promise<void> {
    await this.docker(['kill', '--signal', signal, id]);
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    await this.docker(['stop', '--time', String(graceSeconds), id]);
  }

  async pause(id: string): Promise<void> {
    await this.docker(['pause', id]);
  }

  async unpause(id: string): Promise<void> {
    await this.docker(['unpause', id]);
  }

  async updateCpu(id: string, limits: Partial<CpuLimits>): Promise<void> {
    await this.docker(['update', ...cpuFlags(limits), id]);
  }

  async updateMemory(id: string, limits: MemoryLimits): Promise<void> {
    await this.docker([
      'update',
      '--memory',
      String(limits.memory),
      '--memory-swap',
      String(limits.memorySwap),
      id,
    ]);
  }

  netMethods(): NetMethod[] {
    return ['helper'];
  }

  /** Two helper runs on that node: the container's PID, then its /proc/PID/cgroup. */
  async cgroupPath(id: string, image: string): Promise<string | undefined> {
    const pid = (await this.docker(['inspect', '--format', '{{.State.Pid}}', id])).trim();
    if (!/^[1-9]\d*$/.test(pid)) return undefined;
    const text = await this.docker([
      'run',
      '--rm',
      '--pid',
      'host',
      '--network',
      'none',
      '--entrypoint',
      'cat',
      image,
      `/proc/${pid}/cgroup`,
    ]);
    return cgroupPathOf(text);
  }

  /** The helper runs the sidecar on that node: `docker run -d --rm` in the given cgroup. */
  async startSidecar(spec: SidecarSpec): Promise<string> {
    const labels = Object.entries(spec.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    const id = await this.docker([
      'run',
      '-d',
      '--rm',
      '--name',
      spec.name,
      '--network',
      'none',
      '--cgroup-parent',
      spec.cgroupParent,
      ...labels,
      '--entrypoint',
      'sh',
      spec.image,
      '-c',
      spec.script,
    ]);
    return id.trim();
  }

  async removeContainer(id: string): Promise<boolean> {
    try {
      await this.docker(['rm', '-f', id]);
      return true;
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'not-found') return false;
      throw error;
    }
  }

  /** The helper starts the tc container in the target's network namespace on that node. */
  async netExec(id: string, argv: string[]): Promise<ExecResult> {
    const args = ['run', '--rm', '--network', `container:${id}`, '--cap-add', 'NET_ADMIN'];
    try {
      const stdout = await this.docker([
        ...args,
        '--entrypoint',
        '',
        this.options.tcImage,
        ...argv,
      ]);
      return { exitCode: 0, stdout, stderr: '' };
    } catch (error) {
      if (!(error instanceof EngineError) || error.kind !== 'engine') throw error;
      return { exitCode: 1, stdout: '', stderr: error.message };
    }
  }

  /** docker logs --follow in a helper on the node, for as long as the view follows it. */
  async followLogs(
    id: string,
    tail: number,
    onLines: (lines: LogLine[]) => void,
    onEnd: (error?: Error) => void,
  ): Promise<Subscription> {
    try {
      const sub = await this.streams.follow(
        ['docker', 'logs', '--follow', '--tail', String(tail), id],
        onLines,
        onEnd,
      );
      return { stop: () => void sub.stop() };
    } catch (error) {
      if (error instanceof HelperError) throw new EngineError('engine', error.message);
      throw error;
    }
  }
}
