import { homedir } from 'node:os';
import { join } from 'node:path';

/** chaosdeck's XDG state directory: $XDG_STATE_HOME/chaosdeck, else ~/.local/state/chaosdeck. */
export function stateDir(env: Record<string, string | undefined> = process.env): string {
  const base =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/')
      ? env.XDG_STATE_HOME
      : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'chaosdeck');
}
