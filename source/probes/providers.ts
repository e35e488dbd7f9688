import { httpClientFor } from './http-client.js';

/** What a process provider returned (Chaos Toolkit's shape: exit status and output). */
export interface ProcessOutput {
  status: number;
  stdout: string;
  stderr: string;
}

/** What an HTTP provider returned (Chaos Toolkit's shape: status, headers, body). */
export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Runs a program as Chaos Toolkit's process provider does: the path and its arguments (a string
 * is split by the shell, a list is passed as is), no stdin. Rejects on a timeout or a missing
 * program; a non-zero exit is a result, not an error (the tolerance judges it).
 */
export async function runProcess(
  path: string,
  args: string | string[] | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProcessOutput> {
  // Loaded on first use: the console does not need it to start.
  const { execa } = await import('execa');
  const shell = typeof args === 'string';
  const argv = shell ? [] : (args ?? []);
  const command = shell ? `${path} ${args}` : path;
  const r = await execa(command, argv, {
    shell,
    timeout: timeoutMs,
    reject: false,
    stdin: 'ignore',
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (r.timedOut) throw new Error(`timeout after ${timeoutMs / 1000}s`);
  if (r.isCanceled) throw new Error('interrupted');
  if (r.exitCode === undefined) throw new Error(r.shortMessage ?? `${path} did not run`);
  if (r.exitCode === 127 && !shell) throw new Error(`${path}: no such program`);
  return { status: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** An HTTP call as Chaos Toolkit's http provider makes it. */
export interface HttpCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A body (JSON-encoded when an object), for methods that send one. */
  body?: unknown;
  timeoutMs: number;
  /** false: an https server's certificate is not checked (Chaos Toolkit's verify_tls). */
  verifyTls?: boolean;
}

/**
 * One request on a fresh connection; resolves with the answer whatever its status (the
 * provider's `expected_status` or the tolerance judges it), rejects on errors and timeouts.
 */
export function httpRequest(call: HttpCall, signal?: AbortSignal): Promise<HttpOutput> {
  const client = httpClientFor(call.url);
  const payload =
    call.body === undefined
      ? undefined
      : typeof call.body === 'string'
        ? call.body
        : JSON.stringify(call.body);
  const headers = { ...call.headers };
  if (payload !== undefined && typeof call.body !== 'string')
    headers['content-type'] ??= 'application/json';
  return new Promise((resolve, reject) => {
    const request = client.request(
      call.url,
      {
        method: call.method,
        headers,
        agent: false,
        timeout: call.timeoutMs,
        signal,
        ...(call.verifyTls === false ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([k, v]) => [k, String(v)]),
            ),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`timeout after ${call.timeoutMs / 1000}s`)),
    );
    request.on('error', reject);
    request.end(payload);
  });
}
