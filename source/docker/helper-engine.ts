import type Dockerode from 'dockerode';
import type { CpuLimits, MemoryLimits, NetMethod } from '../domain/fault.js';
import type { ContainerHealth, ContainerUsage, LogLine } from '../domain/types.js';
import { resourcesOf, type RawInspect } from './container-ops.js';
import { EngineError } from './errors.js';
import type {
  ContainerPort,
  ContainerResources,
  ExecResult,
  HostResources,
  Subscription,
} from './port.js';
import { HelperError, runSwarmHelper, type HelperOptions } from './swarm-helper.js';

/**
 * A node without an endpoint, reached through Swarm: every action is one short-lived helper task
 * on that node running the docker CLI against the node's own socket. Actions and the inspections
 * an undo needs work; live health, usage and logs do not (a helper per sample would be a task
 * every second), and say so.
 */
export class HelperEngine implements ContainerPort {
  /** Said where an endpoint would be: how this node is reached. */
  readonly endpoint: string;
  constructor(
    private readonly manager: Dockerode,
    private readonly node: { id: string; name: string },
    private readonly options: HelperOptions & { tcImage: string },
  ) {
    this.endpoint = `helper on ${node.name} (${options.image})`;
  }

  private async docker(args: string[]): Promise<string> {
    let result: ExecResult;
    try {
      result = await runSwarmHelper(this.manager, {
        ...this.options,
        nodeId: this.node.id,
        nodeName: this.node.name,
        args,
      });
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

  private unsupported(what: string): EngineError {
    return new EngineError(
      'engine',
      `no ${what} through helpers: give --node ${this.node.name}=URL for that node's engine`,
    );
  }

  // Said, not undefined: undefined would read as "the container is gone".
  async inspectHealth(_id: string): Promise<ContainerHealth | undefined> {
    throw this.unsupported('live health');
  }

  async inspectResources(id: string): Promise<ContainerResources | undefined> {
    try {
      const text = await this.docker(['container', 'inspect', '--format', '{{json .}}', id]);
      return resourcesOf(JSON.parse(text) as RawInspect);
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

  async usage(): Promise<ContainerUsage> {
    throw this.unsupported('CPU and memory samples');
  }

  async hostResources(): Promise<HostResources> {
    const text = await this.docker(['info', '--format', '{{.NCPU}} {{.MemTotal}}']);
    const [cpus, memory] = text.trim().split(/\s+/).map(Number);
    return { cpus: cpus ?? 0, memoryBytes: memory ?? 0 };
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

  async followLogs(
    _id: string,
    _tail: number,
    _onLines: (lines: LogLine[]) => void,
  ): Promise<Subscription> {
    throw this.unsupported('logs');
  }
}

/** docker update flags for the given CPU fields only (the others are left as they are). */
export function cpuFlags(limits: Partial<CpuLimits>): string[] {
  const flags: string[] = [];
  if (limits.nanoCpus !== undefined) flags.push('--cpus', String(limits.nanoCpus / 1e9));
  if (limits.cpuQuota !== undefined) flags.push('--cpu-quota', String(limits.cpuQuota));
  if (limits.cpuPeriod !== undefined) flags.push('--cpu-period', String(limits.cpuPeriod));
  return flags;
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "12.5MiB" → bytes, as docker stats prints sizes; undefined when it is not a size. */
export function parseDockerSize(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([kmgt]?i?b)\s*$/i.exec(text);
  const unit = m && UNITS[m[2]!.toLowerCase()];
  return m && unit ? Math.round(Number(m[1]) * unit) : undefined;
}
