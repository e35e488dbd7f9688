import { spawn } from 'node:child_process';
import { Agent, type AgentOptions } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** The ssh endpoint as the docker CLI reads ssh://[user@]host[:port]. */
export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
}

/**
 * The ssh command the docker CLI runs for an ssh:// host: the system ssh, so keys,
 * ~/.ssh/config aliases, jump hosts and known_hosts all apply. BatchMode: a console cannot
 * answer a password or host-key prompt; an unknown host key fails as with the docker CLI.
 */
export function sshArgv(target: SshTarget): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=30',
    '-T',
    ...(target.user ? ['-l', target.user] : []),
    ...(target.port && target.port !== 22 ? ['-p', String(target.port)] : []),
    '--',
    target.host,
    'docker',
    'system',
    'dial-stdio',
  ];
}

/** An ssh failure: what ssh printed on stderr ("Host key verification failed."). */
export class SshError extends Error {
  readonly code = 'ESSH';
}

// http.ClientRequest calls these on its socket; a pipe has no such settings.
function asSocket(stream: Duplex): Socket {
  const s = stream as Duplex & Record<string, unknown>;
  for (const name of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref'])
    s[name] = () => stream;
  return stream as unknown as Socket;
}

/** One connection to the engine: `ssh … docker system dial-stdio`, its stdio as the socket. */
export function dialSsh(target: SshTarget, binary = 'ssh'): Socket {
  const child = spawn(binary, sshArgv(target), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
  const stream = new Duplex({
    read: () => child.stdout.resume(),
    write: (chunk, _encoding, done) => {
      if (child.stdin.writable) child.stdin.write(chunk, (error) => done(error ?? null));
      else done();
    },
    final: (done) => child.stdin.end(done),
    destroy: (error, done) => {
      child.kill();
      done(error);
    },
  });
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (data: Buffer) => {
    if (!stream.push(data)) child.stdout.pause();
  });
  // The end of the stream waits for ssh's exit: a failed login is an error with ssh's words,
  // not a hang-up.
  child.on('close', (code) => {
    if (stream.destroyed) return;
    if (code === 0) return void stream.push(null);
    const said = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^Warning: Permanently added/.test(l))
      .join(' ');
    stream.destroy(new SshError(said || `ssh exited with ${code}`));
  });
  child.on('error', (error) => stream.destroy(new SshError(`cannot run ssh: ${error.message}`)));
  return asSocket(stream);
}

/** An http agent whose connections are ssh sessions; kept alive so a poll does not log in again. */
export function sshAgent(target: SshTarget, options: AgentOptions = {}): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ...options });
  (agent as unknown as { createConnection: () => Socket }).createConnection = () => dialSsh(target);
  return agent;
}
