import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An HTTP proxy to the manager's socket that refuses the calls `refuse` matches (403, as an
 * engine behind an authorization plugin answers), passing every other call through.
 */
export async function refusingProxy(
  refuse: (method: string, path: string) => boolean,
): Promise<{ host: string[]; close(): Promise<void> }> {
  const sock = join(mkdtempSync(join(tmpdir(), 'chaosdeck-refuse-')), 'engine.sock');
  const server = createServer((req, res) => {
    if (refuse(req.method ?? '', req.url ?? '')) {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'authorization denied by plugin test: configs are off' }));
      return;
    }
    const upstream = request(
      {
        socketPath: '/var/run/docker.sock',
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  return {
    host: ['-H', `unix://${sock}`],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
