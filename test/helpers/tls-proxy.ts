import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort, waitFor } from './lab.js';

/** A CA and, signed by it, a server certificate for 127.0.0.1 (IP only) and a client one. */
export async function makeCerts(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-tls-'));
  const ssl = (args: string[]) => execa('openssl', args, { cwd: dir });
  await ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=lab-ca',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
  ]);
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['cert', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    const key = name === 'cert' ? 'key.pem' : `${name}-key.pem`;
    await ssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      `${name}.csr`,
    ]);
    await execa('sh', ['-c', `printf '${ext}\\n' > ${name}.ext`], { cwd: dir });
    await ssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]);
  }
  return dir;
}

/** The docker CLI's flags for a TLS engine at 127.0.0.1:PORT with the certificates in CERTS. */
export function tlsFlags(certs: string, port: number): string[] {
  return [
    '--host',
    `tcp://127.0.0.1:${port}`,
    '--tlsverify',
    '--tlscacert',
    join(certs, 'ca.pem'),
    '--tlscert',
    join(certs, 'cert.pem'),
    '--tlskey',
    join(certs, 'key.pem'),
  ];
}

/** socat in front of the manager's socket: TLS (checking client certificates) or plain tcp. */
export async function startProxy(
  certs: string | undefined,
): Promise<{ port: number; stop: () => void }> {
  const port = await freePort();
  const listen = certs
    ? `OPENSSL-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,cert=${join(certs, 'server.pem')},key=${join(certs, 'server-key.pem')},cafile=${join(certs, 'ca.pem')},verify=1`
    : `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`;
  const child: ChildProcess = spawn('socat', [listen, 'UNIX-CONNECT:/var/run/docker.sock'], {
    stdio: 'ignore',
  });
  await waitFor(
    'socat to listen',
    () =>
      new Promise<true | undefined>((resolve) => {
        const s = createConnection({ port, host: '127.0.0.1' }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(undefined));
      }),
    10_000,
    50,
  );
  return { port, stop: () => child.kill() };
}
