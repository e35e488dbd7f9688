import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from '../helpers/lab.js';
import { makeCerts, startProxy, tlsFlags } from '../helpers/tls-proxy.js';

// The manager's engine behind a TLS listener (socat, which does not resume TLS sessions) on
// 127.0.0.1, certificates made with openssl: the docker CLI's TLS flags and environment.
describeLab('TLS like the docker CLI', () => {
  let certs: string;
  let otherCa: string;
  let tls: { port: number; stop: () => void };
  let plain: { port: number; stop: () => void };
  beforeAll(async () => {
    [certs, otherCa] = await Promise.all([makeCerts(), makeCerts()]);
    tls = await startProxy(certs);
    plain = await startProxy(undefined);
  }, 60_000);
  afterAll(() => {
    tls?.stop();
    plain?.stop();
  });
  const status = (args: string[], env: Record<string, string> = {}) =>
    execa('node', ['dist/cli.js', 'status', ...args], {
      reject: false,
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'chaosdeck-tls-state-')), ...env },
      timeout: 60_000,
    });

  it('--tlsverify with --tlscacert/--tlscert/--tlskey, and DOCKER_TLS_VERIFY with DOCKER_CERT_PATH', async () => {
    const flags = await status(tlsFlags(certs, tls.port));
    expect(flags.exitCode, flags.stderr).toBe(0);
    expect(flags.stdout).toMatch(/lab_api/);
    const env = await status([], {
      DOCKER_HOST: `tcp://127.0.0.1:${tls.port}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
    });
    expect(env.exitCode, env.stderr).toBe(0);
  });

  it.each([
    [
      'a missing certificate directory',
      { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent/certs' },
      'tls',
      /cannot read \/nonexistent\/certs\/ca\.pem \(ENOENT\), named by DOCKER_CERT_PATH/,
    ],
    [
      'a CA that did not sign the engine certificate',
      { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: 'other' },
      'tls',
      /signed by an unknown authority/,
    ],
    ['plain tcp to the TLS port', {}, 'tls', /If that port speaks TLS .* add --tlsverify/],
    [
      'TLS to a plain port',
      { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: 'certs' },
      'plain',
      /does not speak TLS on that port/,
    ],
    [
      'a name the certificate does not list',
      { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: 'certs', HOST: 'localhost' },
      'tls',
      /certificate is not for this name/,
    ],
  ] as const)('%s: one clear message, exit 1', async (_n, env, port, message) => {
    const { HOST, DOCKER_CERT_PATH, ...rest } = env as Record<string, string>;
    const r = await status([], {
      ...rest,
      ...(DOCKER_CERT_PATH
        ? {
            DOCKER_CERT_PATH:
              DOCKER_CERT_PATH === 'certs'
                ? certs
                : DOCKER_CERT_PATH === 'other'
                  ? otherCa
                  : DOCKER_CERT_PATH,
          }
        : {}),
      DOCKER_HOST: `tcp://${HOST ?? '127.0.0.1'}:${port === 'tls' ? tls.port : plain.port}`,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
