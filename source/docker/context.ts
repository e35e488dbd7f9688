import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseEndpoint, type Endpoint, type TlsFiles } from './endpoint.js';

type Env = Record<string, string | undefined>;

/** The connection flags of the docker CLI (and a config file's host, between flags and env). */
export interface ConnectFlags {
  host?: string;
  context?: string;
  /** The chaosdeck config file's "host". */
  configHost?: string;
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

/** Where chaosdeck connects, and the docker context that said so (undefined: none named). */
export interface Connection {
  endpoint: Endpoint;
  context?: string;
}

/** The docker CLI's config directory: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: Env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

// The docker CLI stores a context under the sha256 of its name.
const contextDir = (name: string) => createHash('sha256').update(name).digest('hex');

/** The context the docker CLI would use when no host is given: DOCKER_CONTEXT, else the current one. */
function namedContext(env: Env): { name: string; from: string } | undefined {
  if (env.DOCKER_CONTEXT) return { name: env.DOCKER_CONTEXT, from: 'DOCKER_CONTEXT' };
  const file = join(dockerConfigDir(env), 'config.json');
  if (!existsSync(file)) return undefined;
  let config: { currentContext?: unknown };
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`docker config ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return typeof config.currentContext === 'string' && config.currentContext
    ? { name: config.currentContext, from: `currentContext in ${file}` }
    : undefined;
}

/** Reads a docker context's endpoint and TLS material the way the docker CLI stores them. */
export function loadContext(name: string, env: Env, from = '--context'): Endpoint {
  const dir = dockerConfigDir(env);
  const meta = join(dir, 'contexts', 'meta', contextDir(name), 'meta.json');
  let parsed: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    parsed = JSON.parse(readFileSync(meta, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `context "${name}" (${from}) does not exist: no ${meta} (docker context ls lists them)`
        : `context "${name}": cannot read ${meta}: ${(error as Error).message}`,
    );
  }
  const docker = parsed.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || !docker.Host)
    throw new Error(`context "${name}" has no docker endpoint (${meta})`);
  const endpoint = parseEndpoint(docker.Host, {});
  if (endpoint.kind !== 'tcp') return endpoint;
  // TLS material the context holds: `docker context create --docker ca=…,cert=…,key=…`.
  const tlsDir = join(dir, 'contexts', 'tls', contextDir(name), 'docker');
  const files: TlsFiles = {};
  for (const part of ['ca', 'cert', 'key'] as const) {
    const path = join(tlsDir, `${part}.pem`);
    if (existsSync(path)) files[part] = path;
  }
  const skip = docker.SkipTLSVerify === true;
  const tls = endpoint.tls || skip || Object.keys(files).length > 0;
  if (!tls) return endpoint;
  return {
    ...endpoint,
    tls: true,
    verify: !skip,
    files,
    namedBy: `context "${name}"`,
    ...(endpoint.port === 2375 && !/:\d+$/.test(endpoint.url) ? { port: 2376 } : {}),
  };
}

/**
 * The other managers given (every --host after the first, or the config file's after its first):
 * the swarm is followed through them while the first cannot serve it. The TLS flags go for all.
 */
export function otherManagers(hosts: string[], flags: ConnectFlags, env: Env): Endpoint[] {
  return hosts.slice(1).map((h) => withTlsFlags(parseEndpoint(h, env), flags, env));
}

function withTlsFlags(endpoint: Endpoint, flags: ConnectFlags, env: Env): Endpoint {
  if (endpoint.kind !== 'tcp') return endpoint;
  const verify = Boolean(flags.tlsverify) || (endpoint.tls && endpoint.verify !== false);
  const tls = endpoint.tls || Boolean(flags.tls) || verify;
  if (!tls) return endpoint;
  const certDir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  const named = (flag: string | undefined, file: string) => flag ?? join(certDir, file);
  const namedBy =
    flags.tlscacert || flags.tlscert || flags.tlskey
      ? '--tlscacert/--tlscert/--tlskey'
      : env.DOCKER_CERT_PATH
        ? 'DOCKER_CERT_PATH'
        : `the default ${certDir}`;
  const files: TlsFiles = {
    cert: named(flags.tlscert, 'cert.pem'),
    key: named(flags.tlskey, 'key.pem'),
    ...(verify ? { ca: named(flags.tlscacert, 'ca.pem') } : {}),
  };
  // Without --tlsverify the docker CLI uses the client certificate only where there is one.
  if (!verify && !flags.tlscert && !existsSync(files.cert!)) delete files.cert;
  if (!verify && !flags.tlskey && !existsSync(files.key!)) delete files.key;
  return { ...endpoint, tls: true, verify, files, namedBy };
}

/**
 * Chooses the engine like the docker CLI: --host, --context (not both), the config file's host,
 * DOCKER_HOST, DOCKER_CONTEXT, the current context of ~/.docker/config.json, the local socket.
 * Throws with a message fit for the user.
 */
export function resolveConnection(flags: ConnectFlags, env: Env): Connection {
  if (flags.host && flags.context)
    throw new Error('conflicting options: either specify --host or --context, not both');
  const host = flags.host ?? (flags.context ? undefined : flags.configHost);
  if (host) return { endpoint: withTlsFlags(parseEndpoint(host, env), flags, env) };
  if (flags.context) return contextConnection(flags.context, '--context', env);
  if (env.DOCKER_HOST) return { endpoint: withTlsFlags(parseEndpoint(undefined, env), flags, env) };
  const named = namedContext(env);
  if (named) return contextConnection(named.name, named.from, env);
  return { endpoint: withTlsFlags(parseEndpoint(undefined, {}), flags, env) };
}

function contextConnection(name: string, from: string, env: Env): Connection {
  // "default" is the docker CLI's name for DOCKER_HOST or the local socket.
  if (name === 'default') return { endpoint: parseEndpoint(undefined, env), context: 'default' };
  return { endpoint: loadContext(name, env, from), context: name };
}
