/**
 * The stand-in engine's swarm: services, tasks and nodes cloned from the lab's real objects,
 * with the few changes Swarm makes when a task fails (the failed task keeps its slot in the
 * history; a replacement takes the slot).
 */
import { randomBytes } from 'node:crypto';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Sizes of the stand-in swarm. */
export interface SwarmSize {
  services: number;
  tasksPerService: number;
  /** Ended tasks kept per slot. */
  history: number;
  nodes: number;
}

/** What a failed task leaves for the caller: the event to send if it ran on the manager. */
export interface FailedTask {
  task: Json;
  at: number;
  onManager: boolean;
  event: Json;
}

const id = (bytes: number) => randomBytes(bytes).toString('hex');
const taskId = () => id(13).slice(0, 25);
const clone = <T>(value: T): T => structuredClone(value);

/** The stand-in swarm and its queries. */
export class FakeSwarm {
  readonly services: Json[] = [];
  readonly nodes: Json[] = [];
  info: Json = {};
  readonly tasksPerService: number;
  private tasks: Json[] = [];
  private byContainer = new Map<string, Json>();
  private running = new Map<string, number>();
  private version = 1;
  private allTasksJson: string | undefined;

  constructor(
    readonly fixtures: Record<string, Json>,
    readonly size: SwarmSize,
  ) {
    this.tasksPerService = size.tasksPerService;
  }

  get serviceCount(): number {
    return this.services.length;
  }
  taskCount(): number {
    return this.tasks.length;
  }
  currentCount(): number {
    return this.tasks.filter((t) => t.DesiredState === 'running').length;
  }
  indexOf(name: string): number | undefined {
    const i = this.services.findIndex((s) => s.Spec.Name === name || s.ID === name);
    return i < 0 ? undefined : i;
  }
  service(key: string): Json | undefined {
    return this.services.find((s) => s.ID === key || s.Spec.Name === key);
  }

  add(task: Json): void {
    this.tasks.push(task);
    this.byContainer.set(task.Status.ContainerStatus.ContainerID, task);
    if (task.Status.State === 'running') this.count(task.ServiceID, 1);
    this.touch();
  }
  count(serviceId: string, delta: number): void {
    this.running.set(serviceId, (this.running.get(serviceId) ?? 0) + delta);
  }
  touch(): void {
    this.version++;
    this.allTasksJson = undefined;
  }
  /** Keeps at most `history` ended tasks in a slot, as Swarm's task history limit does. */
  trim(serviceId: string, slot: number): void {
    const ended = this.tasks.filter(
      (t) => t.ServiceID === serviceId && t.Slot === slot && t.DesiredState !== 'running',
    );
    const drop = new Set(ended.slice(0, Math.max(0, ended.length - this.size.history)));
    if (drop.size === 0) return;
    for (const t of drop) this.byContainer.delete(t.Status.ContainerStatus.ContainerID);
    this.tasks = this.tasks.filter((t) => !drop.has(t));
  }

  listServices(filters: Map<string, Set<string>>, status: boolean): Json[] {
    const keys = filters.get('id') ?? filters.get('name');
    const picked = keys
      ? this.services.filter((s) => keys.has(s.ID) || keys.has(s.Spec.Name))
      : this.services;
    if (!status) return picked;
    return picked.map((s) => ({
      ...s,
      ServiceStatus: {
        RunningTasks: this.running.get(s.ID) ?? 0,
        DesiredTasks: s.Spec.Mode.Replicated.Replicas,
        CompletedTasks: 0,
      },
    }));
  }

  tasksOf(serviceId: string): Json[] {
    return this.tasks.filter((t) => t.ServiceID === serviceId);
  }

  listTasks(filters: Map<string, Set<string>>): Json[] | string {
    if (filters.size === 0) return (this.allTasksJson ??= JSON.stringify(this.tasks));
    const services = filters.get('service');
    // As the real engine does, one unknown service fails the whole call.
    for (const key of services ?? [])
      if (!this.service(key)) throw new Error(`service ${key} not found`);
    const ids = services
      ? new Set(
          this.services
            .filter((s) => services.has(s.ID) || services.has(s.Spec.Name))
            .map((s) => s.ID),
        )
      : undefined;
    const desired = filters.get('desired-state');
    const nodes = filters.get('node');
    return this.tasks.filter(
      (t) =>
        (!ids || ids.has(t.ServiceID)) &&
        (!desired || desired.has(t.DesiredState)) &&
        (!nodes || nodes.has(t.NodeID)),
    );
  }

  inspect(containerId: string): Json | undefined {
    const task =
      this.byContainer.get(containerId) ??
      [...this.byContainer.entries()].find(([k]) => k.startsWith(containerId))?.[1];
    if (!task) return undefined;
    const service = this.services.find((s) => s.ID === task.ServiceID)!;
    const running = task.Status.State === 'running';
    const at = task.Status.Timestamp;
    return {
      Id: task.Status.ContainerStatus.ContainerID,
      Name: `/${service.Spec.Name}.${task.Slot}.${task.ID}`,
      State: {
        Status: running ? 'running' : 'exited',
        Running: running,
        Paused: false,
        OOMKilled: false,
        ExitCode: running ? 0 : 137,
        StartedAt: at,
        FinishedAt: running ? '0001-01-01T00:00:00Z' : at,
        ...(running
          ? {
              Health: {
                Status: 'healthy',
                FailingStreak: 0,
                Log: [{ Start: at, End: at, ExitCode: 0, Output: '' }],
              },
            }
          : {}),
      },
      Config: {
        Labels: {
          'com.docker.swarm.service.id': service.ID,
          'com.docker.swarm.service.name': service.Spec.Name,
          'com.docker.swarm.task.id': task.ID,
          'com.docker.swarm.node.id': task.NodeID,
        },
        Healthcheck: service.Spec.TaskTemplate.ContainerSpec.Healthcheck,
      },
      HostConfig: { NanoCpus: 500000000, Memory: 134217728 },
    };
  }

  newTask(service: Json, slot: number, nodeId: string, state: string, at: Date): Json {
    const task = clone(this.fixtures.task!);
    task.ID = taskId();
    task.Version = { Index: this.version };
    task.CreatedAt = task.UpdatedAt = at.toISOString();
    task.ServiceID = service.ID;
    task.Slot = slot;
    task.NodeID = nodeId;
    task.Spec = clone(service.Spec.TaskTemplate);
    task.Status = {
      Timestamp: at.toISOString(),
      State: state,
      Message: state === 'running' ? 'started' : 'shutdown',
      ContainerStatus: { ContainerID: id(32), PID: 1000 + slot, ExitCode: 0 },
      PortStatus: {},
    };
    task.DesiredState = state === 'running' ? 'running' : 'shutdown';
    return task;
  }
}

/** Builds a swarm of the given size from the lab's objects. */
export function buildSwarm(fixtures: Record<string, Json>, size: SwarmSize): FakeSwarm {
  const swarm = new FakeSwarm(fixtures, size);
  const manager = clone(fixtures.node!);
  swarm.nodes.push(manager);
  for (let n = 1; n < size.nodes; n++) {
    const worker = clone(fixtures.node!);
    worker.ID = taskId();
    worker.Spec = { ...worker.Spec, Role: 'worker' };
    delete worker.ManagerStatus;
    worker.Description.Hostname = `node-${String(n + 1).padStart(2, '0')}`;
    worker.Status = { State: 'ready', Addr: `10.0.0.${n + 1}` };
    swarm.nodes.push(worker);
  }
  swarm.info = clone(fixtures.info!);
  swarm.info.Swarm.Nodes = size.nodes;
  const hour = new Date(Date.now() - 3600_000);
  for (let i = 0; i < size.services; i++) {
    const service = clone(fixtures.service!);
    service.ID = taskId();
    service.Spec.Name = `svc-${String(i).padStart(4, '0')}`;
    service.Spec.Mode = { Replicated: { Replicas: size.tasksPerService } };
    if (service.PreviousSpec) service.PreviousSpec.Name = service.Spec.Name;
    swarm.services.push(service);
    for (let slot = 1; slot <= size.tasksPerService; slot++) {
      // Service 0 runs on the manager, so its container events reach the console.
      const node = i === 0 ? manager : swarm.nodes[(i * size.tasksPerService + slot) % size.nodes]!;
      for (let h = 0; h < size.history; h++) {
        swarm.add(
          swarm.newTask(
            service,
            slot,
            node.ID,
            'shutdown',
            new Date(hour.getTime() - 60_000 * (h + 1)),
          ),
        );
      }
      swarm.add(swarm.newTask(service, slot, node.ID, 'running', hour));
    }
  }
  return swarm;
}

/** Fails the running task of a slot, as an outside kill would. */
export function failTask(
  swarm: FakeSwarm,
  serviceIndex: number,
  slot: number,
): FailedTask | undefined {
  const service = swarm.services[serviceIndex];
  if (!service) return undefined;
  const victim = swarm
    .tasksOf(service.ID)
    .find((t) => t.Slot === slot && t.Status.State === 'running');
  if (!victim) return undefined;
  const now = new Date();
  victim.Status = {
    ...victim.Status,
    Timestamp: now.toISOString(),
    State: 'failed',
    Message: 'started',
    Err: 'task: non-zero exit (137)',
    ContainerStatus: { ...victim.Status.ContainerStatus, ExitCode: 137 },
  };
  victim.DesiredState = 'shutdown';
  victim.UpdatedAt = now.toISOString();
  swarm.count(service.ID, -1);
  swarm.touch();
  const cid = victim.Status.ContainerStatus.ContainerID as string;
  const nanos = BigInt(now.getTime()) * 1_000_000n;
  return {
    task: victim,
    at: now.getTime(),
    onManager: victim.NodeID === swarm.nodes[0]!.ID,
    event: {
      Type: 'container',
      Action: 'die',
      Actor: {
        ID: cid,
        Attributes: {
          exitCode: '137',
          name: `${service.Spec.Name}.${slot}.${victim.ID}`,
          'com.docker.swarm.service.id': service.ID,
          'com.docker.swarm.service.name': service.Spec.Name,
          'com.docker.swarm.task.id': victim.ID,
          'com.docker.swarm.node.id': victim.NodeID,
        },
      },
      scope: 'local',
      time: Math.floor(now.getTime() / 1000),
      timeNano: Number(nanos),
    },
  };
}

/** Puts a running replacement in a failed task's slot. */
export function replaceTask(swarm: FakeSwarm, failed: Json): void {
  const service = swarm.services.find((s) => s.ID === failed.ServiceID);
  if (!service) return;
  swarm.add(swarm.newTask(service, failed.Slot, failed.NodeID, 'running', new Date()));
  swarm.trim(service.ID, failed.Slot);
}
