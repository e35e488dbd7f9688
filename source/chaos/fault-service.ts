import type { FaultRecord } from '../domain/fault.js';
import type { Service, Task } from '../domain/types.js';
import type { ChaosController, UndoSummary } from './controller.js';
import { checkGuards, type GuardResult } from './guards.js';
import type { FaultPorts, FaultRequest } from './prepare.js';

/** What the console's fault flow needs from the chaos layer. */
export interface FaultService {
  guard(request: FaultRequest, service: Service, serviceTasks: Task[]): Promise<GuardResult>;
  check(request: FaultRequest): Promise<{ description: string }>;
  run(request: FaultRequest): Promise<unknown>;
  undoWhere(match: (r: FaultRecord) => boolean): Promise<UndoSummary>;
  undoAll(): Promise<UndoSummary>;
  adopt(records: FaultRecord[]): Promise<unknown>;
}

/** Guard settings from the command line. */
export interface GuardSettings {
  protect: RegExp[];
  selfContainerId?: string;
  readOnly: boolean;
}

/** The console's fault service: guards with facts gathered from the engines, then the controller. */
export class DeckChaos implements FaultService {
  constructor(
    private readonly controller: ChaosController,
    private readonly ports: FaultPorts,
    private readonly settings: GuardSettings,
  ) {}

  async guard(request: FaultRequest, service: Service, serviceTasks: Task[]): Promise<GuardResult> {
    const healthyByContainer: Record<string, boolean | undefined> = {};
    if (service.hasHealthcheck) {
      // Only the other running replicas matter; one inspect each, on the node that runs it.
      const others = serviceTasks.filter(
        (t) => t.id !== request.target.taskId && t.state === 'running' && t.containerId,
      );
      await Promise.all(
        others.map(async (t) => {
          const port = this.ports.containerPort(t.nodeId);
          if (!port) return;
          try {
            healthyByContainer[t.containerId!] =
              (await port.inspectHealth(t.containerId!))?.status === 'healthy';
          } catch {
            healthyByContainer[t.containerId!] = undefined;
          }
        }),
      );
    }
    return checkGuards({
      kind: request.kind,
      target: request.target,
      service,
      serviceTasks,
      healthyByContainer,
      protect: this.settings.protect,
      readOnly: this.settings.readOnly,
      ...(this.settings.selfContainerId ? { selfContainerId: this.settings.selfContainerId } : {}),
    });
  }

  async check(request: FaultRequest): Promise<{ description: string }> {
    return { description: (await this.controller.check(request)).description };
  }

  run(request: FaultRequest): Promise<unknown> {
    return this.controller.run(request);
  }

  undoWhere(match: (r: FaultRecord) => boolean): Promise<UndoSummary> {
    return this.controller.undoWhere(match);
  }

  undoAll(): Promise<UndoSummary> {
    return this.controller.undoAll();
  }

  adopt(records: FaultRecord[]): Promise<unknown> {
    return this.controller.adopt(records);
  }
}
