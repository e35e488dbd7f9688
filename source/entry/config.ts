import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseEndpoint } from '../docker/endpoint.js';

const KEYS = ['host', 'nodes', 'protect', 'audit', 'helpers'] as const;

/** What a config file may hold (JSON); unknown keys are refused, so a typo is not ignored. */
const configSchema = z.strictObject(
  {
    /** A manager's endpoint, or several: the swarm is followed through the others. */
    host: z
      .union(
        [
          z.string().min(1, { error: 'a Docker endpoint URL, not an empty string' }),
          z
            .array(z.string().min(1, { error: 'a Docker endpoint URL, not an empty string' }))
            .min(1, { error: 'a list of at least one Docker endpoint URL' }),
        ],
        {
          error:
            'a Docker endpoint URL, e.g. "unix:///var/run/docker.sock", or a list of managers\' URLs',
        },
      )
      .optional(),
    /** Node name → Docker endpoint URL, like --node. */
    nodes: z
      .record(z.string(), z.string({ error: 'an endpoint URL string, e.g. "ssh://ops@w1"' }), {
        error: 'an object of node name → endpoint URL, e.g. {"w1": "ssh://ops@w1"}',
      })
      .optional(),
    protect: z
      .array(z.string({ error: 'a regex string' }), {
        error: 'a list of regexes, e.g. ["^lab_db$"] (a string is not split into one)',
      })
      .optional(),
    audit: z.string({ error: 'a file path' }).min(1, { error: 'a file path' }).optional(),
    /** Reach nodes without an endpoint through Swarm helper tasks, like --helpers. */
    helpers: z
      .strictObject(
        {
          image: z.string({ error: 'an image with the docker CLI' }).min(1).optional(),
          socket: z.string({ error: "the nodes' Docker socket path" }).min(1).optional(),
        },
        { error: 'an object like {"image": "docker:cli", "socket": "/var/run/docker.sock"}' },
      )
      .optional(),
  },
  {
    error:
      'an object like {"host": "unix:///…", "nodes": {"name": "url"}, "protect": ["regex"], "audit": "file"}',
  },
);

/** Settings a config file may hold; flags win over it. */
export type FileConfig = z.infer<typeof configSchema>;

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}

// The known key a typo was meant to be ("prtect" → "protect"): two edits at most.
function closestKey(key: string): string | undefined {
  const [best] = [...KEYS].sort((a, b) => editDistance(key, a) - editDistance(key, b));
  return best && editDistance(key.toLowerCase(), best) <= 2 ? best : undefined;
}

function problems(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => {
        const near = closestKey(key);
        return `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${KEYS.join(', ')}`;
      });
    const at = issue.path.length ? `"${issue.path.join('.')}": ` : '';
    return [`${at}${issue.message}`];
  });
}

// What the schema cannot see: endpoints that do not parse, patterns that do not compile.
function deeperProblems(config: FileConfig): string[] {
  const out: string[] = [];
  const endpoint = (at: string, url: string) => {
    try {
      parseEndpoint(url, {});
    } catch (error) {
      out.push(`"${at}": ${(error as Error).message}`);
    }
  };
  [config.host ?? []]
    .flat()
    .forEach((url, i) => endpoint(typeof config.host === 'string' ? 'host' : `host.${i}`, url));
  for (const [name, url] of Object.entries(config.nodes ?? {})) endpoint(`nodes.${name}`, url);
  (config.protect ?? []).forEach((p, i) => {
    try {
      new RegExp(p);
    } catch (error) {
      out.push(`"protect.${i}": ${JSON.stringify(p)} is not a regex (${(error as Error).message})`);
    }
  });
  return out;
}

/**
 * Reads the config: --config FILE, else $XDG_CONFIG_HOME/chaosdeck/config.json when present.
 * Throws with a message naming the file and every problem in it, each by its key.
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
  const found = config.success ? deeperProblems(config.data) : problems(config.error);
  if (found.length > 0) throw new Error(`config ${path}: ${found.join('; ')}`);
  return config.data!;
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
