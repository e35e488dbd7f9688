/** TLS files for a tcp endpoint (PEM paths); absent ones are not used. */
export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Where a Docker engine listens, parsed from a docker-CLI style URL. */
export type Endpoint = (
  | { kind: 'unix'; path: string; url: string }
  | {
      kind: 'tcp';
      host: string;
      port: number;
      tls: boolean;
      /** Checks the engine's certificate against the CA (--tlsverify); default true with TLS. */
      verify?: boolean;
      /** ca.pem, cert.pem and key.pem in this directory, unless `files` names them. */
      certPath?: string;
      files?: TlsFiles;
      /** What named the TLS files, for messages: "DOCKER_CERT_PATH", "context "prod"". */
      namedBy?: string;
      url: string;
    }
  | { kind: 'ssh'; host: string; port: number; user?: string; url: string }
) & {
  /** A node's own engine given with --node NAME=URL (not the manager): messages name the flag. */
  node?: string;
};

/** The default engine socket, as the docker CLI uses it. */
export const DEFAULT_HOST = 'unix:///var/run/docker.sock';

/**
 * Parses an endpoint like the docker CLI: `unix:///path`, `tcp://host:port` (TLS when
 * DOCKER_TLS_VERIFY is set, certificates from DOCKER_CERT_PATH or ~/.docker), `ssh://user@host`.
 * Throws an Error with a message fit for the user when the URL is not usable.
 */
export function parseEndpoint(
  url: string | undefined,
  env: Record<string, string | undefined> = {},
): Endpoint {
  const raw = (url ?? env.DOCKER_HOST ?? '').trim() || DEFAULT_HOST;
  if (raw.startsWith('unix://')) {
    const path = raw.slice('unix://'.length);
    if (!path.startsWith('/'))
      throw new Error(`bad docker host "${raw}": unix:// needs an absolute path`);
    return { kind: 'unix', path, url: raw };
  }
  if (raw.startsWith('/')) return { kind: 'unix', path: raw, url: `unix://${raw}` };
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(
      `bad docker host "${raw}": use unix:///path, tcp://host:port or ssh://user@host`,
    );
  }
  if (parsed.protocol === 'tcp:' || parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    const verify = parsed.protocol === 'https:' || isTruthy(env.DOCKER_TLS_VERIFY);
    const tls = verify || isTruthy(env.DOCKER_TLS);
    const port = parsed.port ? Number(parsed.port) : tls ? 2376 : 2375;
    return {
      kind: 'tcp',
      host: parsed.hostname,
      port,
      tls,
      ...(tls ? { verify } : {}),
      ...(tls && env.DOCKER_CERT_PATH ? { certPath: env.DOCKER_CERT_PATH } : {}),
      url: raw,
    };
  }
  if (parsed.protocol === 'ssh:') {
    return {
      kind: 'ssh',
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 22,
      ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}),
      url: raw,
    };
  }
  throw new Error(
    `bad docker host "${raw}": unsupported scheme ${parsed.protocol.replace(':', '')}`,
  );
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * The highest API version both sides speak, like the docker CLI's negotiation:
 * the lower of the server's and ours.
 */
export function negotiateApiVersion(server: string, clientMax: string): string {
  return compareVersions(server, clientMax) < 0 ? server : clientMax;
}

/** Compares dotted versions numerically ("1.9" < "1.41"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Parses `--node NAME=URL` values into a map by node name; throws with a message on junk. */
export function parseNodeFlags(values: string[]): Map<string, Endpoint> {
  const map = new Map<string, Endpoint>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0)
      throw new Error(
        `--node wants NAME=URL (e.g. labw1=unix:///run/x.sock or w1=ssh://ops@10.0.0.7), got "${value}"`,
      );
    const name = value.slice(0, eq);
    map.set(name, { ...parseEndpoint(value.slice(eq + 1), {}), node: name });
  }
  return map;
}
