import { createRequire } from 'node:module';
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
