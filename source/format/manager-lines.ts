import type { ManagerSwitch } from '../domain/manager-switch.js';

/** The line that says chaosdeck now reads and changes the swarm through another manager, or back. */
export function managerSwitchLine(
  s: Pick<ManagerSwitch, 'from' | 'to' | 'home' | 'reason'>,
): string {
  if (s.home)
    return `back on ${s.to}: it serves the swarm again (was following it through ${s.from})`;
  return `${s.from} cannot serve the swarm${s.reason ? ` (${s.reason})` : ''}: following it through ${s.to}`;
}

/** The header's few words while the swarm is followed through another manager ('' when not). */
export function viaText(s: Pick<ManagerSwitch, 'from' | 'to' | 'reason'> | undefined): string {
  return s ? `via ${s.to} (${s.from}: ${s.reason ?? 'cannot serve the swarm'})` : '';
}
