import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort, waitFor } from './lab.js';

/** A user of its own for the ssh tests: its key in ~/.ssh, no agent, in the docker group. */
export const SSH_USER = 'chaosdeck-ssh';

/** A running sshd on 127.0.0.1 and the ~/.ssh/config aliases that reach it. */
export interface LabSshd {
  port: number;
  home: string;
  uid: number;
  gid: number;
  /** Known host key: ssh://ALIAS works. */
  alias: string;
  /** Same sshd, host key not in known_hosts: refused like the docker CLI refuses. */
  unknownAlias: string;
  stop(): Promise<void>;
}

/**
 * Starts sshd on a free port of 127.0.0.1 for SSH_USER (created on first use): a key in its
 * ~/.ssh, an alias in its ~/.ssh/config, the host key in a known_hosts file of its own.
 */
export async function startSshd(): Promise<LabSshd> {
  if ((await execa('id', ['-u', SSH_USER], { reject: false })).exitCode !== 0)
    await execa('useradd', ['-m', '-s', '/bin/sh', '-G', 'docker', SSH_USER]);
  // No password, but not locked: sshd refuses a locked account even with a key.
  await execa('usermod', ['-p', '*', SSH_USER]);
  const uid = Number((await execa('id', ['-u', SSH_USER])).stdout);
  const gid = Number((await execa('id', ['-g', SSH_USER])).stdout);
  const home = join('/home', SSH_USER);
  const dotSsh = join(home, '.ssh');
  mkdirSync(dotSsh, { recursive: true, mode: 0o700 });
  const key = join(dotSsh, 'id_ed25519');
  if (!existsSync(key)) await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-sshd-'));
  chmodSync(dir, 0o755);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${key}.pub`), { mode: 0o644 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      `AllowUsers ${SSH_USER}`,
      '',
    ].join('\n'),
  );
  const alias = `cdlab-${port}`;
  const unknownAlias = `cdlab-unknown-${port}`;
  const knownHosts = join(dotSsh, `known_hosts_${port}`);
  const hostKey = readFileSync(join(dir, 'host.pub'), 'utf8')
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(
    join(dotSsh, 'config'),
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  UserKnownHostsFile ${knownHosts}`,
      `Host ${unknownAlias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  UserKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  for (const f of [dotSsh, key, `${key}.pub`, knownHosts, join(dotSsh, 'config')])
    chownSync(f, uid, gid);
  mkdirSync('/run/sshd', { recursive: true });
  await execa('/usr/sbin/sshd', ['-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')]);
  const pidFile = join(dir, 'sshd.pid');
  await waitFor('sshd to listen', async () => existsSync(pidFile) || undefined, 10_000, 50);
  return {
    port,
    home,
    uid,
    gid,
    alias,
    unknownAlias,
    stop: async () => {
      await execa('kill', [readFileSync(pidFile, 'utf8').trim()], { reject: false });
    },
  };
}

/**
 * Runs the built CLI (or `program`, e.g. the single executable) as SSH_USER with a clean
 * environment (no ssh agent), in `stateHome`.
 */
export function asSshUser(
  sshd: LabSshd,
  stateHome: string,
  args: string[],
  env: Record<string, string> = {},
  program: string[] = [process.execPath, join(process.cwd(), 'dist/cli.js')],
) {
  chownSync(stateHome, sshd.uid, sshd.gid);
  return execa(
    'runuser',
    [
      '-u',
      SSH_USER,
      '--',
      'env',
      '-i',
      `HOME=${sshd.home}`,
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `XDG_STATE_HOME=${stateHome}`,
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      ...program,
      ...args,
    ],
    { reject: false, timeout: 60_000 },
  );
}
