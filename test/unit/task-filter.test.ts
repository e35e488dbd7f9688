import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../source/docker/client.js';

// An engine API on a unix socket with Node's own limit on a request head (16 KB): a task list
// filtered by many services must still get through, whole.
describe('listing the tasks of many services', () => {
  const socket = join(mkdtempSync(join(tmpdir(), 'cd-tasks-api-')), 'engine.sock');
  const urls: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://engine');
    urls.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (url.pathname.endsWith('/version')) return res.end(JSON.stringify({ ApiVersion: '1.41' }));
    const filters = JSON.parse(url.searchParams.get('filters') ?? '{}') as {
      service?: string[];
    };
    const tasks = (filters.service ?? []).map((id) => ({
      ID: `task-of-${id}`,
      ServiceID: id,
      Slot: 1,
      NodeID: 'n1',
      CreatedAt: '2026-11-23T10:00:00Z',
      DesiredState: 'running',
      Status: { Timestamp: '2026-11-23T10:00:01Z', State: 'running', Message: 'started' },
    }));
    res.end(JSON.stringify(tasks));
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(socket, resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('1 000 service ids: every task comes back, and no request URL grows past a few KB', async () => {
    const engine = await DockerEngine.connect({
      kind: 'unix',
      url: `unix://${socket}`,
      path: socket,
    });
    const ids = Array.from({ length: 1000 }, (_, i) => `service${String(i).padStart(17, '0')}`);
    const tasks = await engine.listTasks({ serviceIds: ids });
    expect(new Set(tasks.map((t) => t.serviceId))).toEqual(new Set(ids));
    const taskCalls = urls.filter((u) => u.includes('/tasks'));
    expect(taskCalls.length).toBeGreaterThan(1);
    expect(Math.max(...taskCalls.map((u) => u.length))).toBeLessThan(4096);
  });
});
