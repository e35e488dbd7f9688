import { appendFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { FaultTarget } from '../domain/fault.js';

/** One line of the audit log. */
export interface AuditEntry {
  time: string;
  user: string;
  host: string;
  action: string;
  target?: Pick<FaultTarget, 'serviceName' | 'slotName' | 'taskId' | 'containerId' | 'nodeName'>;
  params?: Record<string, string | number>;
  result: 'ok' | 'failed' | 'dry-run' | 'refused' | 'cancelled' | 'dropped';
  error?: string;
}

/** Who is at the keyboard: under sudo the person is SUDO_USER, not root. */
export function currentUser(): string {
  // Under sudo the person is SUDO_USER, not root.
  if (process.env.SUDO_USER) return process.env.SUDO_USER;
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

/**
 * Appends one JSON line per action and undo; tells a listener (the activity pane) too. The
 * directory is checked once at start-up (checkWritable), never created here: a write must not
 * loop or wait while a fault is in flight.
 */
export class AuditLog {
  private readonly user = currentUser();
  private readonly host = hostname();

  constructor(
    readonly file: string,
    private readonly listener?: (entry: AuditEntry) => void,
  ) {}

  /** Writes an entry; a failing disk is reported to the listener, never thrown at the caller. */
  write(entry: Omit<AuditEntry, 'time' | 'user' | 'host'>): AuditEntry {
    const full: AuditEntry = {
      time: new Date().toISOString(),
      user: this.user,
      host: this.host,
      ...entry,
    };
    try {
      appendFileSync(this.file, `${JSON.stringify(full)}\n`, { mode: 0o600 });
    } catch (error) {
      this.listener?.({
        ...full,
        action: 'audit-write',
        result: 'failed',
        error: (error as Error).message,
      });
    }
    this.listener?.(full);
    return full;
  }
}

/** The target fields the audit log keeps. */
export function auditTarget(t: FaultTarget): AuditEntry['target'] {
  return {
    serviceName: t.serviceName,
    slotName: t.slotName,
    taskId: t.taskId,
    containerId: t.containerId,
    nodeName: t.nodeName,
  };
}
