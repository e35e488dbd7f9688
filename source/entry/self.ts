import { readFileSync } from 'node:fs';

/** chaosdeck's own container id when it runs in a container (from /proc), else undefined. */
export function selfContainerId(): string | undefined {
  for (const file of ['/proc/self/cgroup', '/proc/self/mountinfo']) {
    try {
      const match = /(?:docker[-/]|containers\/)([0-9a-f]{64})/.exec(readFileSync(file, 'utf8'));
      if (match) return match[1];
    } catch {
      // Not Linux, or /proc is hidden: nothing to protect.
    }
  }
  return undefined;
}
