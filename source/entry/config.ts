import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Settings a config file may hold (JSON); flags win over it. */
export interface FileConfig {
  host?: string;
  /** Node name → Docker endpoint URL, like --node. */
  nodes?: Record<string, string>;
  protect?: string[];
  audit?: string;
}

/**
 * Reads the config: --config FILE, else $XDG_CONFIG_HOME/chaosdeck/config.json when present.
 * Throws with a message naming the file when it is unreadable JSON.
 */
export function readConfig(
  file: string | undefined,
  env: Record<string, string | undefined>,
): FileConfig {
  const path =
    file ??
    join(env.XDG_CONFIG_HOME || join(env.HOME ?? '', '.config'), 'chaosdeck', 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!file && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read config ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as FileConfig;
  } catch (error) {
    throw new Error(`config ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Compiles --protect patterns; throws naming the bad one. */
export function compileProtect(patterns: string[]): RegExp[] {
  return patterns.map((p) => {
    try {
      return new RegExp(p);
    } catch (error) {
      throw new Error(`--protect ${p}: ${(error as Error).message}`);
    }
  });
}
