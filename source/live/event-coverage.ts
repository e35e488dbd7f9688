import type { SwarmNode } from '../domain/types.js';
import { sameSet } from './sync-plan.js';

/**
 * Which nodes' container events reach the console: the manager's own node while the manager's
 * stream is live, and each endpoint node (--node NAME, a hostname or a node id) while its own
 * stream is. A death or a start there is then an event, not something a poll has to find.
 */
export class EventCoverage {
  private managerLive = false;
  private managerNodeId: string | undefined;
  private readonly liveEndpoints = new Set<string>();
  private nodes: readonly SwarmNode[] = [];
  private ids: ReadonlySet<string> = new Set();

  /** `onChange` hears the covered node ids whenever they change. */
  constructor(private readonly onChange: (ids: ReadonlySet<string>) => void = () => undefined) {}

  /** The manager's stream went live or down; its node id once the engine has said it. */
  manager(live: boolean, nodeId?: string): void {
    this.managerLive = live;
    if (nodeId) this.managerNodeId = nodeId;
    this.update();
  }

  /** An endpoint's stream went live or down. */
  endpoint(name: string, live: boolean): void {
    if (live) this.liveEndpoints.add(name);
    else this.liveEndpoints.delete(name);
    this.update();
  }

  /** The swarm's nodes, as last listed (endpoints are named by hostname or id). */
  setNodes(nodes: readonly SwarmNode[]): void {
    this.nodes = nodes;
    this.update();
  }

  /** The covered node ids. */
  covered(): ReadonlySet<string> {
    return this.ids;
  }

  /** True when every ready node is covered (a node that is down runs nothing to hear of). */
  complete(): boolean {
    const ready = this.nodes.filter((n) => n.ready);
    return ready.length > 0 && ready.every((n) => this.ids.has(n.id));
  }

  private update(): void {
    const ids = new Set<string>();
    if (this.managerLive && this.managerNodeId) ids.add(this.managerNodeId);
    for (const n of this.nodes)
      if (this.liveEndpoints.has(n.hostname) || this.liveEndpoints.has(n.id)) ids.add(n.id);
    if (sameSet(this.ids, ids)) return;
    this.ids = ids;
    this.onChange(ids);
  }
}
