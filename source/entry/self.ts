import { readFileSync } from 'node:fs';

let known: { id: string | undefined } | undefined;

/**
 * chaosdeck's own container id when it runs in a container (from /proc), else undefined. Read
 * once: the run, the network method, the state warning and the terminal watch all ask.
 */
export function selfContainerId(): string | undefined {
  return (known ??= { id: readContainerId() }).id;
}

function readContainerId(): string | undefined {
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
