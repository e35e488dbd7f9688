import type { UndoSummary } from '../chaos/controller.js';
import type { GuardResult } from '../chaos/guards.js';
import type { FaultRequest } from '../faults/prepare.js';
import type { FaultRecord } from '../domain/fault.js';
import type { Service, Task } from '../domain/types.js';
import type { ServiceAction, ServiceActionResult } from './service-actions.js';

/** What a front end asks of the game day about faults (the console's flow, the commands). */
export interface GameDayFaults {
  guard(request: FaultRequest, service: Service, serviceTasks: Task[]): Promise<GuardResult>;
  check(request: FaultRequest): Promise<{ description: string; durationMs?: number }>;
  run(request: FaultRequest): Promise<unknown>;
  undoWhere(match: (r: FaultRecord) => boolean): Promise<UndoSummary>;
  undoAll(): Promise<UndoSummary>;
  adopt(records: FaultRecord[]): Promise<unknown>;
  /** Scales or restarts a whole service (not a fault: nothing undoes it). */
  serviceAction(
    service: Pick<Service, 'id' | 'name' | 'mode' | 'desired'>,
    action: ServiceAction,
  ): Promise<ServiceActionResult>;
}
