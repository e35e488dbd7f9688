import { z } from 'zod';
import { checkMemoryLimit, formatBytes, parseMemory, type MemoryLimits } from '../domain/fault.js';
import { memoryProblem } from '../format/user-input.js';
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

const ARGS = 'LIMIT [container|service] [DURATION]';

/** The undo of an in-place memory limit: the container's limits exactly as HostConfig had them. */
type MemoryUndo = {
  kind: 'memory';
  containerId: string;
  nodeId: string;
  previous: MemoryLimits;
};

function readLimit(text: string | undefined): number {
  const bytes = parseMemory(text ?? '');
  if (bytes === undefined) throw new FaultError(memoryProblem(String(text ?? '')));
  return bytes;
}

/** memory: a lower memory limit, no swap beyond it: pressure ends in the OOM killer. */
export const memory = defineFault<MemoryUndo | ServiceLimitsUndo>({
  kind: 'memory',
  key: 'm',
  label: 'mem',
  help: 'memory limit (e.g. 50m; container or service)',
  // A memory limit serves until the OOM killer strikes; Swarm replaces the task then.
  traits: traits({ holds: true, windowed: true }),
  fields: [
    { name: 'limit', label: 'memory limit', hint: 'e.g. 50m, 384m, 1g', default: '50m' },
    SCOPE_FIELD,
    WINDOW_FIELD,
  ],
  flags: [{ name: 'memory', usage: '--memory M', help: 'limit, e.g. 50m' }, SCOPE_FLAG],
  aliases: ['mem'],
  lineArgs: ARGS,
  lineWords: limitWords('memory', 'memory', ARGS),
  params(flags) {
    const scope = readScope(flags);
    if (typeof scope !== 'string') return scope;
    if (!flags.memory) return { error: 'memory needs --memory (a limit, e.g. 50m)' };
    return { params: { limit: flags.memory, scope } };
  },
  async prepare(target, params, ports): Promise<PreparedChange<MemoryUndo | ServiceLimitsUndo>> {
    if (serviceScope(params)) {
      const previous = await ports.swarm.serviceLimits(target.serviceId);
      const bytes = readLimit(params.limit);
      const problem = checkMemoryLimit(bytes, 0, 0);
      if (problem) throw new FaultError(problem);
      const next = { ...previous, memoryBytes: bytes };
      return {
        params: {
          limit: formatBytes(bytes),
          bytes,
          from: previous.memoryBytes ? formatBytes(previous.memoryBytes) : 'none',
          scope: 'service',
        },
        undo: { kind: 'service-limits', serviceId: target.serviceId, previous },
        apply: () => ports.swarm.setServiceLimits(target.serviceId, next),
      };
    }
    const { port, res } = await runningContainer(ports, target, true);
    // What was typed first: a limit that cannot be read is the user's to mend before anything.
    const bytes = readLimit(params.limit);
    if (res.memory.memory <= 0) throw noLimit('memory');
    const [host, usage] = await Promise.all([
      port.hostResources(),
      port.memoryUsage(target.containerId),
    ]);
    const problem = checkMemoryLimit(bytes, usage, host.memoryBytes);
    if (problem) throw new FaultError(problem);
    const previous = { ...res.memory };
    const { containerId, nodeId } = target;
    return {
      params: { limit: formatBytes(bytes), bytes, from: formatBytes(previous.memory) },
      undo: { kind: 'memory', containerId, nodeId, previous },
      // No swap beyond the limit: pressure ends in the OOM killer, as in the seed game day.
      apply: () => port.updateMemory(containerId, { memory: bytes, memorySwap: bytes }),
    };
  },
  undoSchema: z.union([
    z.object({
      kind: z.literal('memory'),
      containerId: ledgerId,
      nodeId: ledgerId,
      previous: z.object({ memory: z.number(), memorySwap: z.number() }),
    }),
    serviceLimitsSchema,
  ]),
  undo(spec, ports, nodeName) {
    if (spec.kind === 'service-limits') return undoServiceLimits(spec, ports);
    return onLiveContainer(ports, spec, nodeName, (port) =>
      port.updateMemory(spec.containerId, spec.previous),
    );
  },
  home: (spec) => (spec.kind === 'service-limits' ? 'service' : 'container'),
  describe: (params) =>
    `memory limit ${params.from ?? '?'} → ${params.limit}${params.scope === 'service' ? ' (service update)' : ''}${windowText(params)}`,
});
