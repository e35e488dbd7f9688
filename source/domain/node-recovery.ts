import type { Service, SwarmNode, Task } from './types.js';

/** One replica that ran on the lost node, and what Swarm did about it. */
export interface MovedSlot {
  serviceId: string;
  /** "app_api.2". */
  slot: string;
  oldTaskId: string;
  replacementTaskId?: string;
  /** Where the replacement runs (a hostname). */
  replacementNode?: string;
  /** The replacement's CreatedAt, and when it reached running (Swarm's Status.Timestamp). */
  createdAt?: number;
  runningAt?: number;
}

/** What became of a task the node ran before it was cut off, once it is back. */
export interface LeftTask {
  taskId: string;
  slot: string;
  /** Swarm's state for it after the heal (shutdown, orphaned, running...). */
  state: string;
  desired: string;
}

/** How the control plane fared while a manager was cut off (times on chaosdeck's clock). */
export interface ControlPlane {
  leaderBefore?: string;
  /** A list call failed, or the list named no leader. */
  leaderLostAt?: number;
  newLeader?: string;
  newLeaderAt?: number;
  /** The first list call that failed (no leader to answer it). */
  apiDownAt?: number;
  /** The first list call answered after one failed. */
  apiBackAt?: number;
  /** Managers Swarm counted reachable at the worst moment, of all managers. */
  worstReachable?: { reachable: number; managers: number };
}

/** A node's loss and return, from Swarm's own records. */
export interface NodeRecovery {
  nodeId: string;
  node: string;
  cutAt: number;
  /** The first look in which the node was not ready, and what Swarm called it then. */
  lostAt?: number;
  lostAs?: string;
  /** The node's UpdatedAt when Swarm marked it down. */
  downAt?: number;
  moved: MovedSlot[];
  /** The last replacement running: every replica of the node's replicated services back. */
  convergedAt?: number;
  /** The node's UpdatedAt when Swarm marked it ready again. */
  readyAt?: number;
  /** Its global services' tasks running on it again (the latest Status.Timestamp). */
  globalBackAt?: number;
  globalTasks: number;
  left: LeftTask[];
  controlPlane?: ControlPlane;
}

/** One look at the swarm, as the watcher polls it. */
export interface SwarmLook {
  at: number;
  nodes?: SwarmNode[];
  tasks?: Task[];
  services?: Service[];
  /** A list call failed (the manager asked has no leader, or did not answer). */
  failed?: boolean;
}

const slotOf = (services: Service[], t: Task) => {
  const s = services.find((x) => x.id === t.serviceId);
  return `${s?.name ?? t.serviceId.slice(0, 12)}.${t.slot ?? t.nodeId.slice(0, 12)}`;
};

/**
 * Follows a node's loss and return through successive looks: the tasks it ran at the cut are
 * taken from the first look; each later look adds what Swarm did. Pure: the watcher feeds it.
 */
export class NodeRecoveryTracker {
  private readonly state: NodeRecovery;
  private before: Task[] = [];
  private services: Service[] = [];
  private managerCut: boolean;
  private names = new Map<string, string>();

  /** `leaderBefore`: the leader's hostname as the swarm named it before the cut. */
  constructor(node: SwarmNode, cutAt: number, leaderBefore?: string) {
    this.state = {
      nodeId: node.id,
      node: node.hostname,
      cutAt,
      moved: [],
      globalTasks: 0,
      left: [],
    };
    this.managerCut = node.role === 'manager';
    if (this.managerCut && leaderBefore) this.state.controlPlane = { leaderBefore };
  }

  /** Takes in one look; returns the recovery as it stands. */
  observe(look: SwarmLook): NodeRecovery {
    const r = this.state;
    if (look.failed) {
      const cp = this.controlPlane();
      cp.leaderLostAt ??= look.at;
      cp.apiDownAt ??= look.at;
      return this.snapshot();
    }
    if (r.controlPlane?.apiDownAt !== undefined) r.controlPlane.apiBackAt ??= look.at;
    if (look.services) this.services = look.services;
    if (look.tasks && this.before.length === 0 && r.moved.length === 0) this.first(look.tasks);
    if (look.nodes) this.nodes(look.nodes, look.at);
    if (look.tasks) this.tasks(look.tasks);
    return this.snapshot();
  }

  /** True once the node is back, its global tasks run, and every moved replica runs. */
  done(): boolean {
    const r = this.state;
    const moved = r.moved.every((m) => m.runningAt !== undefined);
    const global = r.globalTasks === 0 || r.globalBackAt !== undefined;
    const cp = r.controlPlane;
    const plane = cp?.apiDownAt === undefined || cp.apiBackAt !== undefined;
    // The node's old replicas are told to stop once it is back: wait to see what became of them.
    const left = r.left.every((t) => t.state !== 'running' || t.desired === 'running');
    return r.readyAt !== undefined && moved && global && plane && left;
  }

  snapshot(): NodeRecovery {
    return structuredClone(this.state);
  }

  private controlPlane(): ControlPlane {
    return (this.state.controlPlane ??= {});
  }

  private first(tasks: Task[]): void {
    const r = this.state;
    this.before = tasks.filter((t) => t.nodeId === r.nodeId && t.desiredState === 'running');
    for (const t of this.before) {
      const s = this.services.find((x) => x.id === t.serviceId);
      if (s?.mode === 'global') r.globalTasks++;
      else if (t.slot !== undefined)
        r.moved.push({ serviceId: t.serviceId, slot: slotOf(this.services, t), oldTaskId: t.id });
    }
  }

  private nodes(nodes: SwarmNode[], at: number): void {
    const r = this.state;
    for (const n of nodes) this.names.set(n.id, n.hostname);
    const node = nodes.find((n) => n.id === r.nodeId);
    const leader = nodes.find((n) => n.leader);
    if (this.managerCut) {
      const cp = this.controlPlane();
      // Lost: the first look after the cut in which the old leader no longer leads (no leader,
      // or another); Swarm keeps no timestamp of an election, so these are chaosdeck's times.
      if (!leader || leader.hostname !== cp.leaderBefore) cp.leaderLostAt ??= at;
      if (leader && cp.leaderLostAt !== undefined && cp.newLeader === undefined) {
        cp.newLeader = leader.hostname;
        cp.newLeaderAt = at;
      }
      const managers = nodes.filter((n) => n.role === 'manager');
      const reach = managers.filter((n) => n.leader || n.reachability === 'reachable').length;
      if (!cp.worstReachable || reach < cp.worstReachable.reachable)
        cp.worstReachable = { reachable: reach, managers: managers.length };
    }
    if (!node) return;
    // "unknown" is a new leader that has not heard from the node yet; "down" is Swarm's verdict.
    if (node.state !== 'ready' && r.lostAt === undefined) {
      r.lostAt = at;
      r.lostAs = node.state ?? 'not ready';
    }
    if (node.state === 'down' && r.downAt === undefined) r.downAt = node.updatedAt ?? at;
    else if (node.state === 'ready' && r.lostAt !== undefined && r.readyAt === undefined)
      r.readyAt = node.updatedAt ?? at;
  }

  private tasks(tasks: Task[]): void {
    const r = this.state;
    for (const m of r.moved) {
      if (m.runningAt !== undefined) continue;
      const old = this.before.find((t) => t.id === m.oldTaskId)!;
      const next = tasks
        .filter(
          (t) =>
            t.serviceId === old.serviceId &&
            t.slot === old.slot &&
            t.id !== old.id &&
            t.createdAt >= r.cutAt - 1000,
        )
        .sort((a, b) => a.createdAt - b.createdAt)
        .at(-1);
      if (!next) continue;
      m.replacementTaskId = next.id;
      m.replacementNode = this.names.get(next.nodeId) ?? next.nodeId.slice(0, 12);
      m.createdAt = next.createdAt;
      if (next.state === 'running') m.runningAt = next.stateSince;
    }
    const running = r.moved.map((m) => m.runningAt);
    if (running.length && running.every((t) => t !== undefined))
      r.convergedAt = Math.max(...(running as number[]));
    if (r.readyAt === undefined) return;
    // Once Swarm marked the node down it replaces the node's global tasks when it is back: a
    // task that still says running from before then is the old one, its end not yet recorded.
    const globals = tasks.filter(
      (t) =>
        t.nodeId === r.nodeId &&
        t.state === 'running' &&
        (r.downAt === undefined || t.stateSince >= r.downAt) &&
        this.services.find((s) => s.id === t.serviceId)?.mode === 'global',
    );
    if (r.globalTasks > 0 && globals.length >= r.globalTasks)
      r.globalBackAt = Math.max(...globals.map((t) => t.stateSince));
    r.left = this.before
      .filter((t) => this.services.find((s) => s.id === t.serviceId)?.mode !== 'global')
      .map((t) => {
        const now = tasks.find((x) => x.id === t.id);
        return {
          taskId: t.id,
          slot: slotOf(this.services, t),
          state: now?.state ?? 'removed',
          desired: now?.desiredState ?? 'removed',
        };
      });
  }
}

/** The leader's hostname in a node list, as `leaderBefore` wants it (none: no leader named). */
export function leaderBefore(nodes: SwarmNode[]): { leaderBefore?: string } {
  const leader = nodes.find((n) => n.leader)?.hostname;
  return leader ? { leaderBefore: leader } : {};
}
