import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { waitFor } from './lab.js';

/** A socat proxy to the manager's socket whose connection a test can hang, cut and restore. */
export interface EngineProxy {
  /** The flags that point chaosdeck at it: -H unix://… */
  host: string[];
  /** SIGSTOP: every connection hangs (no answer, no refusal), as a lost VPN or a wedged ssh. */
  hang(): Promise<unknown>;
  /** SIGCONT after hang(). */
  resume(): Promise<unknown>;
  /** Kills it: connections are refused until start(). */
  cut(): Promise<unknown>;
  /** Starts it (again) and waits for its socket. */
  start(): Promise<void>;
  /** Resumes and stops it, whatever state it is in. */
  close(): Promise<void>;
}

/** A proxy on a socket of its own, started. */
export async function engineProxy(): Promise<EngineProxy> {
  const sock = join(mkdtempSync(join(tmpdir(), 'chaosdeck-proxy-')), 'engine.sock');
  // socat serves each connection from a child of its own: signal them all by its command line.
  const signal = (sig: string) =>
    execa('pkill', [`-${sig}`, '-f', `UNIX-LISTEN:${sock}`], { reject: false });
  let running: ResultPromise | undefined;
  const proxy: EngineProxy = {
    host: ['-H', `unix://${sock}`],
    hang: () => signal('STOP'),
    resume: () => signal('CONT'),
    cut: () => signal('TERM'),
    start: async () => {
      running = execa(
        'socat',
        [`UNIX-LISTEN:${sock},fork,unlink-early`, 'UNIX-CONNECT:/var/run/docker.sock'],
        { reject: false },
      );
      await waitFor('the proxy', () => existsSync(sock));
    },
    close: async () => {
      await signal('CONT');
      await signal('TERM');
      running?.kill();
    },
  };
  await proxy.start();
  return proxy;
}
