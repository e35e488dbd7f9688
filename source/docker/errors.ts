import type { Endpoint } from './endpoint.js';

/** Kinds of failure the user gets a specific message for. */
export type EngineErrorKind =
  'unreachable' | 'permission' | 'not-swarm' | 'not-manager' | 'not-found' | 'conflict' | 'engine';

/** An engine failure with a message meant for the user (no stack trace). */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface ErrorLike {
  code?: string;
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

/** Turns whatever dockerode or the socket threw into an EngineError that says how to fix it. */
export function toEngineError(error: unknown, endpoint: Endpoint): EngineError {
  if (error instanceof EngineError) return error;
  const e = (error ?? {}) as ErrorLike;
  const where = endpoint.url;
  const serverMessage = (e.json?.message ?? e.reason ?? e.message ?? String(error)).trim();
  const tls = tlsMessage(e.code, serverMessage, endpoint);
  if (tls) return new EngineError('unreachable', tls);
  switch (e.code) {
    case 'ESSH':
      return new EngineError('unreachable', `ssh to ${where} failed: ${serverMessage}`);
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ENOTFOUND':
    case 'EPIPE':
      return new EngineError(
        'unreachable',
        `cannot connect to the Docker daemon at ${where} (${e.code}). ` +
          (endpoint.node
            ? `Is dockerd running on ${endpoint.node}, and does --node ${endpoint.node}=URL name its endpoint? Without one, --helpers reaches the node through Swarm.`
            : endpoint.kind === 'unix'
              ? 'Is dockerd running? Start it (systemctl start docker), or point --host / DOCKER_HOST at a manager.'
              : endpoint.kind === 'tcp' && !endpoint.tls && e.code === 'ECONNRESET'
                ? 'If that port speaks TLS (2376 usually does), add --tlsverify (or DOCKER_TLS_VERIFY=1) with the certificates.'
                : 'Check that the engine listens there and the network allows it, or use --host / DOCKER_HOST.'),
      );
    case 'EACCES':
    case 'EPERM':
      return new EngineError(
        'permission',
        `permission denied on ${where}. Add your user to the docker group ` +
          '(sudo usermod -aG docker $USER, then log in again) or run chaosdeck as root.',
      );
  }
  if (e.statusCode === 503 && /not.*swarm manager|not part of a swarm/i.test(serverMessage)) {
    return /not part of a swarm/i.test(serverMessage)
      ? new EngineError('not-swarm', notSwarmMessage(), 503)
      : new EngineError('not-manager', `${serverMessage}. Run chaosdeck on a manager node.`, 503);
  }
  if (e.statusCode === 404) return new EngineError('not-found', serverMessage, 404);
  if (e.statusCode === 409) return new EngineError('conflict', serverMessage, 409);
  return new EngineError('engine', `Docker engine at ${where}: ${serverMessage}`, e.statusCode);
}

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

// One message per way TLS goes wrong, as the docker CLI distinguishes them.
function tlsMessage(
  code: string | undefined,
  message: string,
  endpoint: Endpoint,
): string | undefined {
  const where = endpoint.url;
  if (code && UNKNOWN_AUTHORITY.has(code))
    return `TLS to ${where}: the engine's certificate is signed by an unknown authority (${code}); give its CA with --tlscacert or DOCKER_CERT_PATH`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `TLS to ${where}: the engine's certificate is not for this name (${message}); connect by a name the certificate lists`;
  if (code === 'CERT_HAS_EXPIRED') return `TLS to ${where}: the engine's certificate has expired`;
  const plain = /wrong version number|packet length too long|http request/i.exec(message);
  if (plain)
    return `TLS to ${where}: the engine does not speak TLS on that port (${plain[0]}); drop --tlsverify/DOCKER_TLS_VERIFY or use its TLS port`;
  if (/certificate required|bad certificate|alert number 116|alert number 42/i.test(message))
    return `TLS to ${where}: the engine refused the client certificate (${message}); give one it trusts with --tlscert/--tlskey or DOCKER_CERT_PATH`;
  return undefined;
}

/** The message for a node that is not in a swarm. */
export function notSwarmMessage(): string {
  return 'this node is not in a swarm: docker swarm init, or run on a manager';
}

/** The message for a worker node, naming the managers it knows. */
export function workerMessage(nodeName: string, managers: string[]): string {
  const list = managers.length > 0 ? managers.join(', ') : 'unknown';
  return `${nodeName} is a swarm worker; chaosdeck needs a manager. Run it on a manager (${list}) or point --host at one.`;
}

/** True for the JSON body a Docker engine sends with an error ({"message": "..."}). */
export function isDockerMessage(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { message?: unknown }).message === 'string'
  );
}

/** The error for an endpoint that answers, but not as a Docker engine does. */
export function notEngineError(endpoint: Endpoint, status?: number): EngineError {
  const answered = status ? `answered HTTP ${status}, but ` : '';
  return new EngineError(
    'unreachable',
    `${endpoint.url} ${answered}is not a Docker engine. Point --host / DOCKER_HOST at a Docker daemon: unix:///var/run/docker.sock, tcp://host:2376 (TLS) or ssh://user@host.`,
  );
}
