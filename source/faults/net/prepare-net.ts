import { randomUUID } from 'node:crypto';
import type { ContainerPort } from '../../docker/port.js';
import { FaultError } from '../fault-error.js';
import { isDefaultQdisc, parseNetSpec, planNet, rootQdisc } from './net-plan.js';
import { pickNetMethod, runInNamespace, type NetCommandsUndo } from './net-method.js';

const IFACE = 'eth0';

/** A checked network fault: the command to apply and the undo captured before it. */
export interface PreparedNet {
  params: Record<string, string | number>;
  undo: NetCommandsUndo<'net'>;
  apply: () => Promise<void>;
}

/**
 * Checks a delay/loss/rate window against the container's namespace: which method reaches it,
 * whether the kernel has netem (a trial on the namespace's loopback, removed at once), and that
 * eth0 has no root qdisc of someone else's that could not be put back.
 */
export async function prepareNet(
  port: ContainerPort,
  containerId: string,
  nodeId: string,
  params: Record<string, string>,
): Promise<PreparedNet> {
  const spec = parseNetSpec(params.type ?? 'delay', params.amount ?? '', params.jitter ?? '');
  if ('error' in spec) throw new FaultError(spec.error);
  const method = pickNetMethod(port, params.method);

  const show = await port.netExec(containerId, ['tc', 'qdisc', 'show', 'dev', IFACE], method);
  if (show.exitCode !== 0)
    throw new FaultError(
      `cannot read ${IFACE} of the container (${method}): ${(show.stderr || show.stdout).trim()}`,
    );
  const root = rootQdisc(show.stdout);
  if (!isDefaultQdisc(root))
    throw new FaultError(
      `${IFACE} already has a root qdisc "${root}" that chaosdeck did not set; it will not replace what it cannot put back`,
    );

  const trial = await port.netExec(
    containerId,
    ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '0ms'],
    method,
  );
  const hasNetem = trial.exitCode === 0;
  if (hasNetem)
    await port.netExec(containerId, ['tc', 'qdisc', 'del', 'dev', 'lo', 'root'], method);

  const plan = planNet(spec, IFACE, hasNetem, randomUUID().slice(0, 8));
  if ('error' in plan) throw new FaultError(plan.error);
  const amount =
    spec.type === 'delay'
      ? `${spec.delayMs}ms`
      : spec.type === 'loss'
        ? `${spec.percent}%`
        : spec.rate;
  return {
    params: {
      type: spec.type,
      amount,
      ...(spec.type === 'delay' && spec.jitterMs ? { jitter: `${spec.jitterMs}ms` } : {}),
      method: `${plan.via} via ${method}`,
    },
    undo: { kind: 'net', containerId, nodeId, method, commands: [plan.undo] },
    apply: async () => {
      await runInNamespace(port, containerId, plan.apply, method);
    },
  };
}
