import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { NetMethod } from '../domain/fault.js';
import type { ContainerPort } from '../docker/port.js';
import { FaultError } from './fault-error.js';
import { defineFault, traits } from './fault-module.js';
import {
  METHOD_FIELD,
  METHOD_FLAG,
  pickNetMethod,
  runInNamespace,
  undoMethod,
} from './net/net-method.js';
import {
  ledgerId,
  onLiveContainer,
  runningContainer,
  WINDOW_FIELD,
  windowText,
  wordsInOrder,
} from './shared.js';

/** Docker's embedded DNS server, as every container on a user-defined network asks it. */
const EMBEDDED_DNS = '127.0.0.11';

/**
 * The rules that drop the container's queries to Docker's embedded DNS (udp and tcp 53), tagged
 * with the fault's id. In the raw table: Docker's own nat rule redirects 127.0.0.11:53 to its
 * resolver's port, and the raw table sees the packet before that.
 */
function dropRules(tag: string): string[][] {
  return ['udp', 'tcp'].map((proto) => [
    'OUTPUT',
    '-d',
    `${EMBEDDED_DNS}/32`,
    '-p',
    proto,
    '--dport',
    '53',
    '-m',
    'comment',
    '--comment',
    tag,
    '-j',
    'DROP',
  ]);
}

/** The undo of a dns fault: the rules it added, removed one by one (each only if still there). */
type DnsUndo = {
  kind: 'dns';
  containerId: string;
  nodeId: string;
  method: NetMethod;
  rules: string[][];
};

const iptables = (op: string, rule: string[]) => ['iptables', '-t', 'raw', op, ...rule];

async function removeRules(port: ContainerPort, spec: DnsUndo): Promise<void> {
  for (const rule of spec.rules) {
    // -C first: a rule already gone (a retried undo) is done, not a failure.
    const method = undoMethod(port, spec.method);
    const there = await port.netExec(spec.containerId, iptables('-C', rule), method);
    if (there.exitCode === 0)
      await runInNamespace(port, spec.containerId, iptables('-D', rule), method);
  }
}

const ARGS = '[DURATION] [--method M]';

/** dns: service discovery fails: the container's queries to Docker's embedded DNS are dropped. */
export const dns = defineFault<DnsUndo>({
  kind: 'dns',
  key: 'r',
  label: 'dns',
  help: "DNS fails: drop the task's queries to Docker's DNS (default 30s)",
  // Its calls to other services fail: it answers, but not as it should.
  traits: traits({ keepsReplicaOut: true, holds: true, windowed: true }),
  fields: [{ ...WINDOW_FIELD, default: '30s' }, METHOD_FIELD],
  flags: [METHOD_FLAG],
  lineArgs: ARGS,
  lineWords: wordsInOrder('dns', ['for'], ARGS),
  params: (flags) => ({ params: { method: flags.method ?? 'auto' } }),
  async prepare(target, params, ports) {
    const { port } = await runningContainer(ports, target);
    const method = pickNetMethod(port, params.method);
    const id = target.containerId;
    // Docker's own redirect of 127.0.0.11 is there only when the container uses its DNS.
    const nat = await port.netExec(id, ['iptables', '-t', 'nat', '-S', 'OUTPUT'], method);
    if (nat.exitCode !== 0)
      throw new FaultError(
        `cannot read the container's iptables (${method}): ${(nat.stderr || nat.stdout).trim()}`,
      );
    if (!nat.stdout.includes(EMBEDDED_DNS))
      throw new FaultError(
        `container ${id.slice(0, 12)} does not use Docker's DNS (${EMBEDDED_DNS}): it is on no user-defined network, so there is no service discovery to break`,
      );
    const rules = dropRules(`chaosdeck-${randomUUID().slice(0, 8)}`);
    const undo: DnsUndo = { kind: 'dns', containerId: id, nodeId: target.nodeId, method, rules };
    return {
      params: { method: `iptables via ${method}` },
      undo,
      async apply() {
        try {
          for (const rule of rules) await runInNamespace(port, id, iptables('-I', rule), method);
        } catch (error) {
          // Half a fault is none: take back the rule that went in.
          await removeRules(port, undo).catch(() => undefined);
          throw error;
        }
      },
    };
  },
  undoSchema: z.object({
    kind: z.literal('dns'),
    containerId: ledgerId,
    nodeId: ledgerId,
    method: z.enum(['nsenter', 'helper']),
    rules: z.array(z.array(z.string())),
  }),
  undo: (spec, ports, nodeName) =>
    onLiveContainer(ports, spec, nodeName, (port) => removeRules(port, spec)),
  home: () => 'container',
  describe: (params) =>
    `DNS queries dropped${params.method ? ` (${params.method})` : ''}${windowText(params)}`,
});
