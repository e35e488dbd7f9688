import type { UndoSummary } from '../chaos/controller.js';
import type { GuardResult } from '../chaos/guards.js';
import type { FaultRequest } from '../chaos/prepare.js';
import type { FaultRecord } from '../domain/fault.js';
import type { Service, Task } from '../domain/types.js';

/** What a front end asks of the session core about faults (the console's flow, the commands). */
export interface FaultService {
  guard(request: FaultRequest, service: Service, serviceTasks: Task[]): Promise<GuardResult>;
  check(request: FaultRequest): Promise<{ description: string }>;
  run(request: FaultRequest): Promise<unknown>;
  undoWhere(match: (r: FaultRecord) => boolean): Promise<UndoSummary>;
  undoAll(): Promise<UndoSummary>;
  adopt(records: FaultRecord[]): Promise<unknown>;
}
