import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinNegativeValues } from '../../source/entry/argv.js';
import { readSettings, type SessionFlags } from '../../source/entry/settings.js';

const flags = (patch: Partial<SessionFlags> = {}): SessionFlags => ({
  node: [],
  protect: [],
  probe: [],
  probeInterval: '1s',
  probeTimeout: '10s',
  ...patch,
});

describe('readSettings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-cfg-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      host: 'tcp://cfg:2375',
      nodes: { w1: 'unix:///run/w1.sock' },
      protect: ['^db$'],
      audit: '/tmp/a.log',
    }),
  );
  const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state') };

  it('takes the config file, with flags winning and adding', () => {
    const s = readSettings(
      flags({
        config,
        host: 'unix:///run/m.sock',
        node: ['w2=unix:///run/w2.sock'],
        protect: ['^web'],
      }),
      env,
    );
    expect(s.endpoint).toMatchObject({ kind: 'unix', path: '/run/m.sock' });
    expect([...s.nodes.keys()]).toEqual(['w1', 'w2']);
    expect(s.protect.map((r) => r.source)).toEqual(['^db$', '^web']);
    expect(s.auditFile).toBe('/tmp/a.log');
    expect(s.ledgerFile).toBe(join(dir, 'state', 'chaosdeck', 'ledger.json'));
  });

  it('--host more than once: the first is connected to, the others followed (TLS flags for all)', () => {
    const s = readSettings(
      flags({ host: ['tcp://m1:2376', 'tcp://m2:2376', 'unix:///run/m3.sock'], tlsverify: true }),
      env,
    );
    expect(s.endpoint).toMatchObject({ host: 'm1', tls: true });
    expect(s.managers.map((m) => [m.url, m.kind === 'tcp' && m.tls])).toEqual([
      ['tcp://m2:2376', true],
      ['unix:///run/m3.sock', false],
    ]);
    expect(readSettings(flags({ host: 'unix:///run/m.sock' }), env).managers).toEqual([]);
  });

  it("a config file's list of hosts: followed only when its first is the one connected to", () => {
    const list = join(dir, 'managers.json');
    writeFileSync(list, JSON.stringify({ host: ['tcp://a:2375', 'tcp://b:2375'] }));
    const s = readSettings(flags({ config: list }), env);
    expect([s.endpoint.url, s.managers.map((m) => m.url)]).toEqual([
      'tcp://a:2375',
      ['tcp://b:2375'],
    ]);
    expect(readSettings(flags({ config: list, host: 'unix:///run/m.sock' }), env).managers).toEqual(
      [],
    );
    expect(readSettings(flags({ config: list, context: 'default' }), env).managers).toEqual([]);
    writeFileSync(list, JSON.stringify({ host: [] }));
    expect(() => readSettings(flags({ config: list }), env)).toThrow(/host/);
  });

  it.each([
    [{ probeInterval: 'abc' }, /--probe-interval: "abc" is not a duration/],
    [{ probe: ['web'] }, /--probe wants NAME=URL/],
    [{ node: ['w1'] }, /--node wants NAME=URL/],
    [{ protect: ['('] }, /--protect \(/],
    [{ config: join(dir, 'missing.json') }, /cannot read config/],
  ])('%j is refused with a message', (patch, message) => {
    expect(() => readSettings(flags(patch), env)).toThrow(message);
  });

  it.each([
    ['not JSON', '{host:', /is not valid JSON/],
    ['a list at the top', '[]', /config .*: an object like \{"host"/],
    [
      'protect as a string',
      '{"protect":"lab_db"}',
      /"protect": a list of regexes, e\.g\. \["\^lab_db\$"\] \(a string is not split/,
    ],
    ['host as a number', '{"host":5}', /"host": a Docker endpoint URL/],
    ['an empty host', '{"host":""}', /"host": a Docker endpoint URL, not an empty string/],
    [
      'a host of another scheme',
      '{"host":"ftp://x"}',
      /"host": bad docker host "ftp:\/\/x": unsupported scheme ftp/,
    ],
    [
      'nodes as a list',
      '{"nodes":["w1=unix:///x"]}',
      /"nodes": an object of node name → endpoint URL/,
    ],
    ['a node URL as a number', '{"nodes":{"w1":5}}', /"nodes\.w1": an endpoint URL string/],
    [
      'a node URL that is not one',
      '{"nodes":{"w1":"unix://relative"}}',
      /"nodes\.w1": bad docker host "unix:\/\/relative"/,
    ],
    ['a pattern that is not a regex', '{"protect":["("]}', /"protect\.0": "\(" is not a regex/],
    [
      'a typo in a key',
      '{"prtect":["x"]}',
      /unknown key "prtect" \(did you mean "protect"\?\); known: host, nodes, protect, audit/,
    ],
    ['a key nobody knows', '{"colour":false}', /unknown key "colour"; known:/],
    ['audit as a number', '{"audit":7}', /"audit": a file path/],
    ['two problems at once', '{"host":5,"protect":"x"}', /"host": .*; "protect": /],
  ])('a config file with %s is refused naming the file and the key', (_n, text, message) => {
    const file = join(dir, `broken-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, text);
    expect(() => readSettings(flags({ config: file }), env)).toThrow(message);
    expect(() => readSettings(flags({ config: file }), env)).toThrow(`config ${file}`);
  });

  it('without a config file: DOCKER_HOST, then the default socket', () => {
    expect(readSettings(flags(), { ...env, DOCKER_HOST: 'unix:///x.sock' }).endpoint).toMatchObject(
      { path: '/x.sock' },
    );
    expect(readSettings(flags(), env).endpoint).toMatchObject({ path: '/var/run/docker.sock' });
  });
});

describe('joinNegativeValues', () => {
  it.each([
    [['--probe-interval', '-1s'], ['--probe-interval=-1s']],
    [
      ['--probe-interval', '-0.5s', 'status'],
      ['--probe-interval=-0.5s', 'status'],
    ],
    [
      ['--probe-interval', '2s', '--yes'],
      ['--probe-interval', '2s', '--yes'],
    ],
    [
      ['--audit', '--yes'],
      ['--audit', '--yes'],
    ],
    [
      ['--yes', '-1'],
      ['--yes', '-1'],
    ],
  ])('%j → %j', (argv, joined) =>
    expect(joinNegativeValues(argv, ['--probe-interval', '--audit'])).toEqual(joined),
  );
});
