import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What a config file may hold (JSON); unknown keys are refused, so a typo is not ignored. */
const configSchema = z.strictObject({
  host: z.string().min(1).optional(),
  /** Node name → Docker endpoint URL, like --node. */
  nodes: z.record(z.string(), z.string()).optional(),
  protect: z.array(z.string()).optional(),
  audit: z.string().min(1).optional(),
});

/** Settings a config file may hold; flags win over it. */
export type FileConfig = z.infer<typeof configSchema>;

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const config = configSchema.safeParse(parsed);
  if (!config.success) {
    const issue = config.error.issues[0];
    const at = issue?.path.length ? `"${issue.path.join('.')}": ` : '';
    throw new Error(
      `config ${path}: ${at}${issue?.message ?? 'does not match'} (expected {"host": "unix:///…", "nodes": {"name": "url"}, "protect": ["regex"], "audit": "file"})`,
    );
  }
  return config.data;
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
