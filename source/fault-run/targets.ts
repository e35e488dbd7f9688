import type { FaultTarget } from '../domain/fault.js';
import { clip } from '../format/user-input.js';
import { groupTaskSlots } from '../domain/task-slots.js';
import type { Service, SwarmNode, Task } from '../domain/types.js';

/** What the swarm looked like when the command started. */
export interface Snapshot {
  services: Service[];
  tasks: Task[];
  nodes: SwarmNode[];
}

/** How a TARGET picks among candidates (Pumba's targeting). */
export interface TargetChoice {
  /** Pick at random among the candidates (with `limit`, that many). */
  random: boolean;
  limit?: number;
  /** Random source, replaceable in tests. */
  pick?: (n: number) => number;
}

/** The running tasks a TARGET names, as fault targets; or why none. */
export type TargetResult = { targets: FaultTarget[] } | { error: string };

function targetOf(s: Service, slotName: string, t: Task, nodes: SwarmNode[]): FaultTarget {
  return {
    serviceId: s.id,
    serviceName: s.name,
    taskId: t.id,
    slotName,
    containerId: t.containerId!,
    nodeId: t.nodeId,
    nodeName: nodes.find((n) => n.id === t.nodeId)?.hostname ?? t.nodeId.slice(0, 12),
  };
}

function runningSlots(s: Service, snap: Snapshot): FaultTarget[] {
  const host = (id: string) => snap.nodes.find((n) => n.id === id)?.hostname ?? id;
  return groupTaskSlots(s, snap.tasks, host)
    .filter((slot) => slot.current.state === 'running' && slot.current.containerId)
    .map((slot) => targetOf(s, slot.name, slot.current, snap.nodes));
}

function shuffle<T>(list: T[], pick: (n: number) => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Resolves TARGET: `SERVICE` (one running task of it, at random), `SERVICE.SLOT` (that slot's
 * running task; `SERVICE.NODE` for a global service), a task or container id (a unique prefix),
 * or `re:REGEX` over service names (every running task of the matches; `--random` picks one,
 * `--limit N` caps how many).
 */
export function resolveTargets(spec: string, snap: Snapshot, choice: TargetChoice): TargetResult {
  const pick = choice.pick ?? ((n: number) => Math.floor(Math.random() * n));
  const finish = (candidates: FaultTarget[], what: string): TargetResult => {
    if (candidates.length === 0) return { error: `${what}: no running task to target` };
    let list = choice.random ? shuffle(candidates, pick) : candidates;
    const limit = choice.limit ?? (choice.random ? 1 : list.length);
    list = list.slice(0, limit);
    return { targets: list };
  };
  if (spec.startsWith('re:')) {
    // An empty pattern matches every service: a slip, not a choice (re:. says it on purpose).
    if (spec.trim() === 're:')
      return { error: 're: needs a pattern (re:^app_, re:api$); re:. means every service' };
    let re: RegExp;
    try {
      re = new RegExp(spec.slice(3));
    } catch (error) {
      return { error: `${spec}: not a regex (${(error as Error).message})` };
    }
    const matches = snap.services.filter((s) => re.test(s.name));
    if (matches.length === 0) return { error: `${spec}: no service name matches` };
    return finish(
      matches.flatMap((s) => runningSlots(s, snap)),
      `${spec} (${matches.map((s) => s.name).join(', ')})`,
    );
  }
  const service = snap.services.find((s) => s.name === spec);
  if (service) {
    const slots = runningSlots(service, snap);
    if (slots.length === 0) return { error: `${spec}: no running task to target` };
    const many = choice.limit !== undefined ? choice.limit : 1;
    return { targets: shuffle(slots, pick).slice(0, many) };
  }
  for (const s of snap.services) {
    const slot = runningSlots(s, snap).find((t) => t.slotName === spec);
    if (slot) return { targets: [slot] };
    if (spec.startsWith(`${s.name}.`)) {
      const known = groupTaskSlots(s, snap.tasks).some((g) => g.name === spec);
      return {
        error: known
          ? `${spec}: its task is not running`
          : `${spec}: no such slot (see chaosdeck status --service ${s.name})`,
      };
    }
  }
  if (/^[0-9a-z]{6,}$/.test(spec)) {
    const found = snap.tasks.filter(
      (t) => t.id.startsWith(spec) || (t.containerId?.startsWith(spec) ?? false),
    );
    if (found.length > 1) return { error: `${spec}: ambiguous id (${found.length} tasks match)` };
    const t = found[0];
    if (t) {
      const s = snap.services.find((x) => x.id === t.serviceId);
      const slot = s && runningSlots(s, snap).find((x) => x.taskId === t.id);
      if (!slot) return { error: `${spec}: task ${t.id.slice(0, 12)} is not running (${t.state})` };
      return { targets: [slot] };
    }
  }
  return {
    error: `${clip(spec, 40)}: no such service, slot, task or container (see chaosdeck status)`,
  };
}

/**
 * Resolves a NODE (a hostname, a unique id prefix, `leader`, or a SERVICE: the node of one of its
 * running tasks) into the target of a fault on a node: no task, no service (`slotName` is the hostname,
 * as the lines name it).
 */
export function resolveNode(
  spec: string,
  nodes: SwarmNode[],
  snap?: Pick<Snapshot, 'services' | 'tasks'>,
): TargetResult {
  const byName = nodes.filter((n) => n.hostname === spec);
  let found = byName.length ? byName : nodes.filter((n) => n.id.startsWith(spec));
  // "leader": the manager Swarm's raft follows now (unless a node is named so).
  if (found.length === 0 && spec === 'leader') found = nodes.filter((n) => n.leader);
  // A service names the node one of its running tasks is on (a worker's first: losing a worker
  // is the common case, and the manager chaosdeck talks to cannot be cut).
  const service = found.length === 0 ? snap?.services.find((s) => s.name === spec) : undefined;
  if (service) {
    const on = new Set(
      snap!.tasks
        .filter((t) => t.serviceId === service.id && t.state === 'running')
        .map((t) => t.nodeId),
    );
    found = nodes
      .filter((n) => on.has(n.id))
      .sort((a, b) => Number(a.role === 'manager') - Number(b.role === 'manager'))
      .slice(0, 1);
    if (found.length === 0) return { error: `${clip(spec, 40)}: no running task, so no node` };
  }
  if (found.length > 1) return { error: `${clip(spec, 40)}: names ${found.length} nodes` };
  const n = found[0];
  if (!n || spec === '')
    return {
      error: `${clip(spec, 40)}: no such node (${nodes.map((x) => x.hostname).join(', ')})`,
    };
  return {
    targets: [
      {
        serviceId: '',
        serviceName: '',
        taskId: '',
        slotName: n.hostname,
        containerId: '',
        nodeId: n.id,
        nodeName: n.hostname,
      },
    ],
  };
}

/**
 * A target as the JSON document gives it: a node's fault has no service, task or container, and
 * says so by leaving them out rather than by empty strings.
 */
export function targetJson(t: FaultTarget): Partial<FaultTarget> {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== '')) as Partial<FaultTarget>;
}
