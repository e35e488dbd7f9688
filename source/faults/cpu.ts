import { z } from 'zod';
import { effectiveCpus, parseCpus, type CpuLimits } from '../domain/fault.js';
import { FaultError } from './fault-error.js';
import { defineFault, traits, type PreparedChange } from './fault-module.js';
import {
  serviceLimitsSchema,
  serviceScope,
  undoServiceLimits,
  type ServiceLimitsUndo,
} from './service-limits.js';
import {
  ledgerId,
  limitWords,
  noLimit,
  onLiveContainer,
  readScope,
  runningContainer,
  SCOPE_FIELD,
  SCOPE_FLAG,
  WINDOW_FIELD,
  windowText,
} from './shared.js';

const ARGS = 'CPUS [container|service] [DURATION]';

/** The undo of an in-place CPU limit: the container's limits exactly as HostConfig had them. */
type CpuUndo = {
  kind: 'cpu';
  containerId: string;
  nodeId: string;
  previous: CpuLimits;
};

/** cpu: a lower CPU limit, in place (docker update) or on the service (a rolling update). */
export const cpu = defineFault<CpuUndo | ServiceLimitsUndo>({
  kind: 'cpu',
  key: 'c',
  label: 'cpu',
  help: 'CPU limit (CPUs or % of current; container or service)',
  traits: traits({ keepsReplicaOut: true, holds: true, windowed: true }),
  fields: [
    {
      name: 'cpus',
      label: 'CPU limit',
      hint: 'CPUs (0.2) or % of the current (50%)',
      default: '50%',
    },
    SCOPE_FIELD,
    WINDOW_FIELD,
  ],
  flags: [
    { name: 'cpus', usage: '--cpus C', help: 'CPUs (0.2) or % of the current limit (50%)' },
    SCOPE_FLAG,
  ],
  lineArgs: ARGS,
  lineWords: limitWords('cpu', 'cpus', ARGS),
  params(flags) {
    const scope = readScope(flags);
    if (typeof scope !== 'string') return scope;
    if (!flags.cpus) return { error: 'cpu needs --cpus (0.2 CPUs, or 50% of the current limit)' };
    return { params: { cpus: flags.cpus, scope } };
  },
  async prepare(target, params, ports): Promise<PreparedChange<CpuUndo | ServiceLimitsUndo>> {
    if (serviceScope(params)) {
      const previous = await ports.swarm.serviceLimits(target.serviceId);
      const current = (previous.nanoCpus ?? 0) / 1e9;
      const parsed = parseCpus(params.cpus ?? '', current, 0);
      if ('error' in parsed) throw new FaultError(parsed.error);
      const next = { ...previous, nanoCpus: Math.round(parsed.cpus * 1e9) };
      return {
        params: { cpus: parsed.cpus, from: current || 'none', scope: 'service' },
        undo: { kind: 'service-limits', serviceId: target.serviceId, previous },
        apply: () => ports.swarm.setServiceLimits(target.serviceId, next),
      };
    }
    const { port, res } = await runningContainer(ports, target, true);
    const current = effectiveCpus(res.cpu);
    if (current === 0) throw noLimit('CPU');
    const host = await port.hostResources();
    const parsed = parseCpus(params.cpus ?? '', current, host.cpus);
    if ('error' in parsed) throw new FaultError(parsed.error);
    const previous = { ...res.cpu };
    // Keep the mechanism the limit was set with: Docker refuses to mix NanoCpus and CpuQuota.
    const change =
      previous.nanoCpus > 0
        ? { nanoCpus: Math.round(parsed.cpus * 1e9) }
        : {
            cpuQuota: Math.round(parsed.cpus * (previous.cpuPeriod || 100_000)),
            cpuPeriod: previous.cpuPeriod || 100_000,
          };
    const { containerId, nodeId } = target;
    return {
      params: { cpus: parsed.cpus, from: current },
      undo: { kind: 'cpu', containerId, nodeId, previous },
      apply: () => port.updateCpu(containerId, change),
    };
  },
  undoSchema: z.union([
    z.object({
      kind: z.literal('cpu'),
      containerId: ledgerId,
      nodeId: ledgerId,
      previous: z.object({ nanoCpus: z.number(), cpuQuota: z.number(), cpuPeriod: z.number() }),
    }),
    serviceLimitsSchema,
  ]),
  undo(spec, ports, nodeName) {
    if (spec.kind === 'service-limits') return undoServiceLimits(spec, ports);
    const p = spec.previous;
    return onLiveContainer(ports, spec, nodeName, (port) =>
      port.updateCpu(
        spec.containerId,
        p.nanoCpus > 0
          ? { nanoCpus: p.nanoCpus }
          : { cpuQuota: p.cpuQuota, cpuPeriod: p.cpuPeriod },
      ),
    );
  },
  home: (spec) => (spec.kind === 'service-limits' ? 'service' : 'container'),
  describe: (params) =>
    `CPU limit ${params.from ?? '?'} → ${params.cpus} CPUs${params.scope === 'service' ? ' (service update)' : ''}${windowText(params)}`,
});
