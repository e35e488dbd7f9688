import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadDockerode } from '../../source/docker/load-dockerode.js';

const require = createRequire(import.meta.url);
const loaded = (pattern: RegExp) => Object.keys(require.cache).some((k) => pattern.test(k));

describe('dockerode, loaded lean', () => {
  it('leaves gRPC and ssh2 unloaded until an ssh endpoint is dialled, which then works as before', async () => {
    const Docker = loadDockerode();
    new Docker({ socketPath: '/nonexistent.sock' });
    expect(loaded(/[\\/]@grpc[\\/]|[\\/]protobufjs[\\/]/)).toBe(false);
    expect(loaded(/[\\/]ssh2[\\/]/)).toBe(false);
    // Port 1 on loopback refuses: the ssh agent (ssh2) is loaded and dials, and says so.
    const ssh = new Docker({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' });
    await expect(ssh.ping()).rejects.toThrow(/ECONNREFUSED/);
    expect(loaded(/[\\/]ssh2[\\/]/)).toBe(true);
  });
});

describe('dockerode without https, tls and zlib until used', () => {
  // Node's own modules are not in require.cache, and this process may have loaded them already:
  // a fresh node says what it loaded (process.moduleLoadList), before and after a TLS dial.
  it('loads https and tls on the first TLS call, which then works, and never zlib', async () => {
    const source = fileURLToPath(new URL('../../source/docker/load-dockerode.ts', import.meta.url));
    const script = `
      import { loadDockerode } from ${JSON.stringify(source)};
      const loaded = () => process.moduleLoadList.filter((m) => /^NativeModule (https|tls|zlib)$/.test(m));
      const Docker = loadDockerode();
      new Docker({ socketPath: '/nonexistent.sock' });
      const before = loaded();
      const error = await new Docker({ protocol: 'https', host: '127.0.0.1', port: 1 })
        .ping()
        .then(() => 'answered', (e) => String(e.message ?? e));
      console.log(JSON.stringify({ before, after: loaded(), error }));`;
    const { stdout } = await execa('node', [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
    ]);
    const seen = JSON.parse(stdout) as { before: string[]; after: string[]; error: string };
    expect(seen.before).toEqual([]);
    // Port 1 on loopback refuses: the request went through the real https module.
    expect(seen.error).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
    expect(seen.after).toEqual(expect.arrayContaining(['NativeModule https', 'NativeModule tls']));
    expect(seen.after).not.toContain('NativeModule zlib');
  });
});
