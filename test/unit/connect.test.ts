import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerodeOptions } from '../../source/docker/client.js';
import { resolveConnection, type ConnectFlags } from '../../source/docker/context.js';
import { sshArgv } from '../../source/docker/ssh-dial.js';

// A docker config directory as `docker context create` leaves it.
const config = mkdtempSync(join(tmpdir(), 'chaosdeck-dockerconfig-'));
const sha = (name: string) => createHash('sha256').update(name).digest('hex');
function context(name: string, host: string, tls: string[] = [], skip = false) {
  const meta = join(config, 'contexts', 'meta', sha(name));
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({
      Name: name,
      Metadata: {},
      Endpoints: { docker: { Host: host, SkipTLSVerify: skip } },
    }),
  );
  const dir = join(config, 'contexts', 'tls', sha(name), 'docker');
  if (tls.length) mkdirSync(dir, { recursive: true });
  for (const f of tls) writeFileSync(join(dir, `${f}.pem`), 'x');
}
context('worker', 'unix:///run/chaosdeck-lab/labw1.sock');
context('prod', 'tcp://m1.example:2376', ['ca', 'cert', 'key']);
context('insecure', 'tcp://m2.example:2376', [], true);
const withCurrent = mkdtempSync(join(tmpdir(), 'chaosdeck-dockerconfig-'));
writeFileSync(join(withCurrent, 'config.json'), JSON.stringify({ currentContext: 'worker' }));
mkdirSync(join(withCurrent, 'contexts', 'meta', sha('worker')), { recursive: true });
writeFileSync(
  join(withCurrent, 'contexts', 'meta', sha('worker'), 'meta.json'),
  JSON.stringify({ Name: 'worker', Endpoints: { docker: { Host: 'unix:///w.sock' } } }),
);

describe('resolveConnection: where the docker CLI would go', () => {
  const env = { DOCKER_CONFIG: config };
  it.each<[string, ConnectFlags, Record<string, string>, string, string | undefined]>([
    ['nothing given: the local socket', {}, {}, 'unix:///var/run/docker.sock', undefined],
    ['DOCKER_HOST', {}, { DOCKER_HOST: 'tcp://h:2375' }, 'tcp://h:2375', undefined],
    [
      'DOCKER_CONTEXT',
      {},
      { DOCKER_CONTEXT: 'worker' },
      'unix:///run/chaosdeck-lab/labw1.sock',
      'worker',
    ],
    ['the current context', {}, { DOCKER_CONFIG: withCurrent }, 'unix:///w.sock', 'worker'],
    [
      'DOCKER_HOST beats DOCKER_CONTEXT',
      {},
      { DOCKER_HOST: 'unix:///h.sock', DOCKER_CONTEXT: 'worker' },
      'unix:///h.sock',
      undefined,
    ],
    [
      'DOCKER_HOST beats the current context',
      {},
      { DOCKER_CONFIG: withCurrent, DOCKER_HOST: 'unix:///h.sock' },
      'unix:///h.sock',
      undefined,
    ],
    [
      '--context beats DOCKER_HOST',
      { context: 'worker' },
      { DOCKER_HOST: 'unix:///h.sock' },
      'unix:///run/chaosdeck-lab/labw1.sock',
      'worker',
    ],
    [
      '--host beats everything',
      { host: 'unix:///x.sock' },
      { DOCKER_CONTEXT: 'worker' },
      'unix:///x.sock',
      undefined,
    ],
    [
      'the config file host beats DOCKER_HOST',
      { configHost: 'unix:///c.sock' },
      { DOCKER_HOST: 'unix:///h.sock' },
      'unix:///c.sock',
      undefined,
    ],
    [
      'context "default" is DOCKER_HOST or the socket',
      { context: 'default' },
      {},
      'unix:///var/run/docker.sock',
      'default',
    ],
  ])('%s', (_n, flags, extra, url, name) => {
    const c = resolveConnection(flags, { ...env, ...extra });
    expect(c.endpoint.url).toBe(url);
    expect(c.context).toBe(name);
  });

  it.each<[string, ConnectFlags, Record<string, string>, RegExp]>([
    [
      '--host and --context',
      { host: 'unix:///x', context: 'worker' },
      {},
      /either specify --host or --context, not both/,
    ],
    [
      'an unknown --context',
      { context: 'nope' },
      {},
      /context "nope" \(--context\) does not exist: no .*meta\.json/,
    ],
    [
      'an unknown DOCKER_CONTEXT',
      {},
      { DOCKER_CONTEXT: 'nope' },
      /context "nope" \(DOCKER_CONTEXT\) does not exist/,
    ],
    ['a bad DOCKER_HOST', {}, { DOCKER_HOST: 'bogus://x' }, /bad docker host "bogus:\/\/x"/],
  ])('refuses %s', (_n, flags, extra, message) =>
    expect(() => resolveConnection(flags, { ...env, ...extra })).toThrow(message),
  );

  it("takes a context's TLS material and SkipTLSVerify", () => {
    const prod = resolveConnection({ context: 'prod' }, env).endpoint;
    expect(prod).toMatchObject({ kind: 'tcp', tls: true, verify: true, namedBy: 'context "prod"' });
    expect(prod.kind === 'tcp' && prod.files?.ca).toMatch(
      /contexts\/tls\/[0-9a-f]{64}\/docker\/ca\.pem$/,
    );
    const insecure = resolveConnection({ context: 'insecure' }, env).endpoint;
    expect(insecure).toMatchObject({ tls: true, verify: false, files: {} });
  });

  it('--tlsverify takes DOCKER_CERT_PATH; --tlscacert/--tlscert/--tlskey name the files', () => {
    const env2 = { ...env, DOCKER_HOST: 'tcp://m1:2376', DOCKER_CERT_PATH: '/certs' };
    expect(resolveConnection({ tlsverify: true }, env2).endpoint).toMatchObject({
      tls: true,
      verify: true,
      files: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' },
      namedBy: 'DOCKER_CERT_PATH',
    });
    expect(
      resolveConnection({ tlsverify: true, tlscacert: '/a/ca.pem' }, env2).endpoint,
    ).toMatchObject({ files: { ca: '/a/ca.pem' }, namedBy: '--tlscacert/--tlscert/--tlskey' });
    // DOCKER_TLS_VERIFY=1 as the flag; plain tcp stays plain without either.
    expect(resolveConnection({}, { ...env2, DOCKER_TLS_VERIFY: '1' }).endpoint).toMatchObject({
      verify: true,
    });
    expect(resolveConnection({}, env2).endpoint).toMatchObject({ tls: false });
  });

  it('a TLS file that is not there is named with what named it', () => {
    const { endpoint } = resolveConnection(
      { tlsverify: true },
      { ...env, DOCKER_HOST: 'tcp://m1:2376', DOCKER_CERT_PATH: '/nowhere' },
    );
    expect(() => dockerodeOptions(endpoint)).toThrow(
      /TLS for tcp:\/\/m1:2376: cannot read \/nowhere\/ca\.pem \(ENOENT\), named by DOCKER_CERT_PATH/,
    );
  });
});

describe('sshArgv: the docker CLI ssh helper', () => {
  it.each([
    [
      { host: 'alias' },
      '-o BatchMode=yes -o ConnectTimeout=30 -T -- alias docker system dial-stdio',
    ],
    [
      { host: '10.0.0.7', user: 'ops', port: 2222 },
      '-o BatchMode=yes -o ConnectTimeout=30 -T -l ops -p 2222 -- 10.0.0.7 docker system dial-stdio',
    ],
    [
      { host: 'h', port: 22 },
      '-o BatchMode=yes -o ConnectTimeout=30 -T -- h docker system dial-stdio',
    ],
  ])('%j → ssh %s', (target, argv) => expect(sshArgv(target).join(' ')).toBe(argv));
});
