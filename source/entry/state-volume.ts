import { readFileSync } from 'node:fs';
import path from 'node:path';
import { selfContainerId } from './self.js';

/** A mount as /proc/self/mountinfo lists it: where, and what kind of filesystem. */
export interface Mount {
  point: string;
  fsType: string;
}

/** The mounts in /proc/self/mountinfo's text (mount point: field 5; type: after the " - "). */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    const point = left?.split(' ')[4];
    const fsType = right?.split(' ')[0];
    // The kernel writes a space in a path as \040 (and \011, \012, \134 likewise).
    if (point && fsType)
      mounts.push({
        point: point.replace(/\\([0-7]{3})/g, (_, o: string) =>
          String.fromCharCode(parseInt(o, 8)),
        ),
        fsType,
      });
  }
  return mounts;
}

/** The mount that holds DIR: the longest mount point DIR is in (the last one mounted wins a tie). */
export function mountOf(dir: string, mounts: Mount[]): Mount | undefined {
  const abs = path.resolve(dir);
  let best: Mount | undefined;
  for (const m of mounts) {
    const inside = m.point === '/' || abs === m.point || abs.startsWith(`${m.point}/`);
    if (inside && (!best || m.point.length >= best.point.length)) best = m;
  }
  return best;
}

/**
 * The warning for a state directory that dies with its container: on the container's own root
 * filesystem or on a tmpfs, the ledger (what restore reads), the journal and the report go when
 * the container is removed. Undefined when the directory is on a volume or a bind mount.
 */
export function ephemeralStateWarning(stateDir: string, mounts: Mount[]): string | undefined {
  const mount = mountOf(stateDir, mounts);
  if (mount && mount.point !== '/' && mount.fsType !== 'tmpfs') return undefined;
  const where = mount?.fsType === 'tmpfs' ? 'a tmpfs' : "this container's own filesystem";
  return `the state directory ${stateDir} is on ${where}: the ledger, journal and report are lost with the container. Mount a volume there (docker run -v chaosdeck:/state …)`;
}

/** The warning above for this process, or undefined when it does not run in a container. */
export function containerStateWarning(stateDir: string): string | undefined {
  if (!selfContainerId()) return undefined;
  try {
    return ephemeralStateWarning(
      stateDir,
      parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')),
    );
  } catch {
    // No /proc: nothing known, nothing said.
    return undefined;
  }
}
