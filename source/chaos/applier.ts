import { readFileSync } from 'node:fs';
import type { FaultRecord } from '../domain/fault.js';

/** Start time of a process in clock ticks since boot (/proc/PID/stat field 22), with its state. */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: split after its closing ")".
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** This process, as ledger entries name their owner (the start time tells a reused PID apart). */
export const SELF: { pid: number; pidStart?: string } = {
  pid: process.pid,
  ...(procStat(process.pid) ? { pidStart: procStat(process.pid)!.start } : {}),
};

/** True while the chaosdeck that owns a fault still runs (not a zombie, not a reused PID). */
export function ownerAlive(record: Pick<FaultRecord, 'pid' | 'pidStart'>): boolean {
  const stat = procStat(record.pid);
  if (stat) return stat.state !== 'Z' && (!record.pidStart || record.pidStart === stat.start);
  if (process.platform === 'linux') return false;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
