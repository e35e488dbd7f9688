import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** One bad input, how to feed it to the CLI, and the sentence a user should get back. */
export interface BadInput {
  group: 'flags' | 'commands' | 'config' | 'environment' | 'ledger' | 'dialog' | 'filter';
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** A config file's text (passed with --config) or a ledger file's (in a fresh state home). */
  config?: string;
  ledger?: string | { directory: true };
  /** The state home on a 64 KiB tmpfs with this many KiB left free (a full disk). */
  freeKiB?: number;
  code: number;
  message: RegExp;
}

/** What a message may never look like: a bug's wording, a stack, someone else's HTML. */
export const UNCLEAR =
  /unexpected error|\n\s+at |<html|TypeError|is not a function|Cannot read prop/i;

const entry = (patch: object) =>
  JSON.stringify({
    version: 1,
    faults: [
      {
        id: 'a',
        kind: 'pause',
        target: {
          serviceId: 's',
          serviceName: 'x',
          taskId: 't',
          slotName: 'x.1',
          containerId: 'c',
          nodeId: 'n',
          nodeName: 'vm',
        },
        params: {},
        appliedAt: 1,
        undo: { kind: 'unpause', containerId: 'c', nodeId: 'n' },
        status: 'active',
        pid: 1,
        ...patch,
      },
    ],
  });

const ledgerRefused = /the fault ledger .*ledger\.json .*fix it, or move it aside/;

/** The corpus: flags, config files, environment and ledger files (the CLI's own inputs). */
export const BAD_INPUTS: BadInput[] = [
  {
    group: 'flags',
    name: '--bogus',
    args: ['--bogus'],
    code: 2,
    message: /Unknown flag\s+--bogus/,
  },
  {
    group: 'flags',
    name: 'status --jsn',
    args: ['status', '--jsn'],
    code: 2,
    message: /Unknown flag\s+--jsn/,
  },
  {
    group: 'commands',
    name: 'kill without a target',
    args: ['kill'],
    code: 2,
    message: /kill needs a TARGET/,
  },
  {
    group: 'commands',
    name: 'kill --for',
    args: ['kill', 'lab_api', '--for', '3s'],
    code: 2,
    message: /kill is a moment/,
  },
  {
    group: 'commands',
    name: 'cpu without --cpus',
    args: ['cpu', 'lab_api'],
    code: 2,
    message: /cpu needs --cpus/,
  },
  {
    group: 'commands',
    name: 'net with two kinds',
    args: ['net', 'lab_api', '--delay', '1s', '--loss', '5%'],
    code: 2,
    message: /net needs one of --delay/,
  },
  {
    group: 'commands',
    name: 'pause --for -1s',
    args: ['pause', 'lab_api', '--for', '-1s'],
    code: 2,
    message: /--for: "-1s" is not a duration/,
  },
  {
    group: 'commands',
    name: 'pause --for of years',
    args: ['pause', 'lab_api', '--for', '9999999999999999h'],
    code: 2,
    message: /--for: "9999999999999999h" is longer than 30 days/,
  },
  {
    group: 'commands',
    name: 'an empty re: (every service)',
    args: ['kill', 're:', '--dry-run'],
    code: 1,
    message: /re: needs a pattern/,
  },
  {
    group: 'commands',
    name: '--every 1ms',
    args: ['kill', 'lab_api', '--every', '1ms', '--times', '2'],
    code: 2,
    message: /--every: at least 1s between faults/,
  },
  {
    group: 'commands',
    name: '--memory 1t',
    args: ['memory', 'lab_api', '--memory', '1t', '--yes', '--dry-run'],
    code: 1,
    message: /"t" is not a unit; use k, m or g/,
  },
  {
    group: 'commands',
    name: 'a 5 000-character target',
    args: ['pause', 'x'.repeat(5000), '--for', '1s'],
    code: 1,
    message: /no such service, slot, task or container/,
  },
  {
    group: 'commands',
    name: 'partition without a node',
    args: ['partition'],
    code: 2,
    message: /partition needs a NODE/,
  },
  {
    group: 'commands',
    name: 'partition longer than --max-window',
    args: ['partition', 'labw1', '--for', '20m'],
    code: 2,
    message: /--for 20m: longer than the longest partition allowed \(10m\); --max-window raises it/,
  },
  {
    group: 'commands',
    name: 'partition --max-window soon',
    args: ['partition', 'labw1', '--max-window', 'soon'],
    code: 2,
    message: /--max-window: "soon" is not a duration/,
  },
  {
    group: 'commands',
    name: 'partition --from workers',
    args: ['partition', 'labw1', '--from', 'workers'],
    code: 2,
    message: /--from takes managers or all, not "workers"/,
  },
  {
    group: 'commands',
    name: 'partition --force-quorum-loss without --yes',
    args: ['partition', 'labw1', '--force-quorum-loss'],
    code: 2,
    message: /--force-quorum-loss goes with --yes/,
  },
  {
    group: 'commands',
    name: 'partition of the manager chaosdeck talks to',
    args: ['partition', 'leader', '--for', '5s', '--dry-run'],
    code: 1,
    message: /refused: \S+ is the manager chaosdeck talks to: cut off, it could not watch/,
  },
  {
    group: 'commands',
    name: 'partition of a node that is not there',
    args: ['partition', 'lab_nonode', '--for', '5s'],
    code: 1,
    message: /lab_nonode: no such node \(/,
  },
  {
    group: 'commands',
    name: 'a target that is not there',
    args: ['pause', 'lab_nope', '--for', '1s'],
    code: 1,
    message: /lab_nope: no such service, slot, task or container/,
  },
  {
    group: 'commands',
    name: 'report of a missing journal',
    args: ['report', '/nonexistent/day.jsonl'],
    code: 2,
    message: /\/nonexistent\/day\.jsonl: no such journal/,
  },
  {
    group: 'commands',
    name: 'report --format pdf',
    args: ['report', '--format', 'pdf'],
    code: 2,
    message: /--format md or json, not "pdf"/,
  },
  {
    group: 'flags',
    name: '--bogus status',
    args: ['--bogus', 'status'],
    code: 2,
    message: /Unknown flag\s+--bogus/,
  },
  {
    group: 'flags',
    name: 'unknown command',
    args: ['frobnicate'],
    code: 2,
    message: /unknown command "frobnicate"/,
  },
  {
    group: 'flags',
    name: 'two commands',
    args: ['status', 'restore'],
    code: 2,
    message: /unknown command "status restore"/,
  },
  {
    group: 'flags',
    name: '--probe-interval -1s',
    args: ['status', '--probe-interval', '-1s'],
    code: 2,
    message: /--probe-interval: "-1s" is not a duration/,
  },
  {
    group: 'flags',
    name: '--probe-timeout 0',
    args: ['status', '--probe-timeout', '0'],
    code: 2,
    message: /--probe-timeout: "0" is not a duration/,
  },
  {
    group: 'flags',
    name: '--probe without URL',
    args: ['status', '--probe', 'web'],
    code: 2,
    message: /--probe wants NAME=URL/,
  },
  {
    group: 'flags',
    name: '--node without URL',
    args: ['status', '--node', 'w1'],
    code: 2,
    message: /--node wants NAME=URL/,
  },
  {
    group: 'flags',
    name: '--protect bad regex',
    args: ['status', '--protect', '('],
    code: 2,
    message: /--protect \(: Invalid regular expression/,
  },
  {
    group: 'flags',
    name: '--host ftp://',
    args: ['status', '--host', 'ftp://x'],
    code: 2,
    message: /ftp:\/\/x/,
  },
  {
    group: 'config',
    name: 'not JSON',
    args: ['status'],
    config: '{host:',
    code: 2,
    message: /config .* is not valid JSON/,
  },
  {
    group: 'flags',
    name: '--host twice, neither answering',
    args: [
      'status',
      '-H',
      'unix:///run/chaosdeck-none-1.sock',
      '-H',
      'unix:///run/chaosdeck-none-2.sock',
    ],
    code: 1,
    message:
      /none-1\.sock \(ENOENT\)[^\n]*; trying the next manager given \(unix:\/\/\/run\/chaosdeck-none-2\.sock\)\n[\s\S]*none-2\.sock \(ENOENT\)/,
  },
  {
    group: 'flags',
    name: 'a second --host ftp://',
    args: ['status', '-H', 'unix:///var/run/docker.sock', '-H', 'ftp://x'],
    code: 2,
    message: /bad docker host "ftp:\/\/x": unsupported scheme ftp/,
  },
  {
    group: 'config',
    name: 'a list of hosts with a bad one',
    args: ['status'],
    config: '{"host":["unix:///var/run/docker.sock","ftp://x"]}',
    code: 2,
    message: /config .*: "host\.1": bad docker host "ftp:\/\/x"/,
  },
  {
    group: 'config',
    name: 'an empty list of hosts',
    args: ['status'],
    config: '{"host":[]}',
    code: 2,
    message: /config .*: "host": a list of at least one Docker endpoint URL/,
  },
  {
    group: 'config',
    name: 'host is a number',
    args: ['status'],
    config: '{"host":5}',
    code: 2,
    message: /config .*: "host": a Docker endpoint URL/,
  },
  {
    group: 'config',
    name: 'nodes is a string',
    args: ['status'],
    config: '{"nodes":"x"}',
    code: 2,
    message: /config .*: "nodes": /,
  },
  {
    group: 'config',
    name: 'a typo in a key',
    args: ['status'],
    config: '{"hosts":"unix:///x"}',
    code: 2,
    message: /config .*: unknown key "hosts" \(did you mean "host"\?\)/,
  },
  {
    group: 'config',
    name: 'protect not a list',
    args: ['status'],
    config: '{"protect":"db"}',
    code: 2,
    message: /config .*: "protect": /,
  },
  {
    group: 'config',
    name: 'missing --config file',
    args: ['status', '--config', '/nonexistent/c.json'],
    code: 2,
    message: /cannot read config \/nonexistent\/c\.json/,
  },
  {
    group: 'environment',
    name: 'DOCKER_HOST at a web server',
    args: ['status'],
    env: { DOCKER_HOST: 'tcp://127.0.0.1:18080' },
    code: 1,
    message: /answered HTTP 404, but is not a Docker engine/,
  },
  {
    group: 'environment',
    name: 'DOCKER_HOST socket missing',
    args: ['status'],
    env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
    code: 1,
    message: /cannot connect to the Docker daemon at unix:\/\/\/nonexistent\.sock/,
  },
  {
    group: 'environment',
    name: 'DOCKER_HOST port closed',
    args: ['status'],
    env: { DOCKER_HOST: 'tcp://127.0.0.1:1' },
    code: 1,
    message: /cannot connect to the Docker daemon at tcp:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
  },
  {
    group: 'environment',
    name: 'TLS cert dir missing',
    args: ['status'],
    env: {
      DOCKER_HOST: 'tcp://127.0.0.1:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/nonexistent',
    },
    code: 1,
    message: /TLS for tcp:\/\/127\.0\.0\.1:2376: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
  },
  {
    group: 'environment',
    name: 'XDG_STATE_HOME in /proc',
    args: ['restore'],
    env: { XDG_STATE_HOME: '/proc/forbidden' },
    code: 2,
    message: /state directory: cannot create \/proc\/forbidden \(ENOENT\)/,
  },
  {
    group: 'environment',
    name: '--audit in /proc',
    args: ['restore', '--audit', '/proc/forbidden/x'],
    code: 2,
    message: /audit log: cannot create \/proc\/forbidden \(ENOENT\)/,
  },
  {
    group: 'environment',
    name: '--audit under a file',
    args: ['restore', '--audit', '/etc/passwd/x'],
    code: 2,
    message: /audit log: \/etc\/passwd is not a directory/,
  },
  {
    group: 'environment',
    name: '--audit is a directory',
    args: ['restore', '--audit', '/tmp'],
    code: 2,
    message: /audit log: \/tmp is not a regular file/,
  },
  {
    group: 'ledger',
    name: 'restore --from a missing file',
    args: ['restore', '--from', '/nonexistent/ledger.json'],
    code: 2,
    message: /--from \/nonexistent\/ledger\.json: no such ledger file/,
  },
  {
    group: 'ledger',
    name: 'faults is a string',
    args: ['restore'],
    ledger: '{"faults":"x"}',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'empty object',
    args: ['restore'],
    ledger: '{}',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'a list',
    args: ['restore'],
    ledger: '[]',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'null',
    args: ['restore'],
    ledger: 'null',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'truncated',
    args: ['restore'],
    ledger: '{"version":1,"faults":[{"id"',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'empty file',
    args: ['restore'],
    ledger: '',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'unknown version',
    args: ['restore'],
    ledger: '{"version":2,"faults":[]}',
    code: 2,
    message: ledgerRefused,
  },
  {
    group: 'ledger',
    name: 'a directory',
    args: ['restore'],
    ledger: { directory: true },
    code: 2,
    message: /state directory: .*ledger\.json is not a regular file/,
  },
  {
    group: 'environment',
    name: 'a state disk with 8 KiB free',
    args: ['pause', 'lab_worker.vm', '--for', '3s'],
    freeKiB: 8,
    code: 1,
    message: /no room on the state disk for the fault's undo record/,
  },
  {
    group: 'ledger',
    name: 'a null entry',
    args: ['restore'],
    ledger: '{"version":1,"faults":[null]}',
    code: 1,
    message: /ledger entry 1 of .* ignored \(/,
  },
  {
    group: 'ledger',
    name: 'an entry without id',
    args: ['restore'],
    ledger: '{"version":1,"faults":[{"kind":"pause"}]}',
    code: 1,
    message: /ledger entry 1 of .* ignored \(id: /,
  },
  {
    group: 'ledger',
    name: 'appliedAt a string',
    args: ['restore'],
    ledger: entry({ appliedAt: 'soon' }),
    code: 1,
    message: /ledger entry 1 of .* ignored \(appliedAt: /,
  },
  {
    group: 'ledger',
    name: 'unknown undo kind',
    args: ['restore'],
    ledger: entry({ undo: { kind: 'magic' } }),
    code: 1,
    message: /ledger entry 1 of .* ignored \(undo/,
  },
];

/** A state home on a 64 KiB tmpfs with `freeKiB` left free; returns its unmount. */
async function fullDisk(home: string, freeKiB: number): Promise<() => Promise<unknown>> {
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', home]);
  const avail = Number((await execa('df', ['-B1', '--output=avail', home])).stdout.split('\n')[1]);
  const fill = Math.floor((avail - freeKiB * 1024) / 1024);
  await execa('dd', ['if=/dev/zero', `of=${home}/fill`, 'bs=1024', `count=${fill}`]);
  return () => execa('umount', [home], { reject: false });
}

/** Feeds one bad input to the real CLI in a fresh state home. */
export async function tryInput(input: BadInput): Promise<{ code: number; output: string }> {
  const home = mkdtempSync(join(tmpdir(), 'chaosdeck-bad-'));
  const unmount = input.freeKiB !== undefined ? await fullDisk(home, input.freeKiB) : undefined;
  try {
    return await runInput(input, home);
  } finally {
    await unmount?.();
  }
}

async function runInput(input: BadInput, home: string): Promise<{ code: number; output: string }> {
  const args = [...input.args];
  if (input.config !== undefined) {
    writeFileSync(join(home, 'config.json'), input.config);
    args.push('--config', join(home, 'config.json'));
  }
  if (input.ledger !== undefined) {
    mkdirSync(join(home, 'chaosdeck'));
    const file = join(home, 'chaosdeck', 'ledger.json');
    if (typeof input.ledger === 'string') writeFileSync(file, input.ledger);
    else mkdirSync(file);
  }
  const r = await execa('node', ['dist/cli.js', ...args], {
    env: { XDG_STATE_HOME: home, ...input.env },
    reject: false,
    timeout: 20_000,
  });
  return { code: r.exitCode ?? -1, output: `${r.stdout}\n${r.stderr}` };
}
