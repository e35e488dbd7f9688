import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseEndpoint } from '../../source/docker/endpoint.js';
import { NodeEngines } from '../../source/docker/node-engines.js';
import type { ContainerPort } from '../../source/docker/port.js';
import type { NodeReach } from '../../source/domain/types.js';
import { nodeCell, reachSummary } from '../../source/format/reach-lines.js';
import { watchReach } from '../../source/live/reach-watch.js';
import { mount, plain, press, keys, seededStore } from '../helpers/console.js';

const nodes = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `n${i}`, hostname: `w${i}` }));

describe('reachSummary', () => {
  const endpoint = (url: string): NodeReach => ({ kind: 'endpoint', url });
  const down: NodeReach = { kind: 'unreachable', url: 'unix:///x', error: 'ECONNREFUSED' };
  it.each([
    [
      'a few nodes by name',
      nodes(3),
      { w1: endpoint('unix:///w1') },
      'w0 manager · w1 endpoint · w2 no reach',
      false,
    ],
    [
      'an endpoint that does not answer',
      nodes(2),
      { w1: down },
      'w0 manager · w1 unreachable',
      true,
    ],
    [
      'many nodes by count, the unreachable named',
      nodes(8),
      { w1: endpoint('u'), w2: endpoint('u'), w3: down },
      '1 manager · 2 endpoint · 1 unreachable (w3) · 4 no reach',
      true,
    ],
  ])('%s', (_n, list, reach, text, bad) =>
    expect(reachSummary(list, 'n0', reach)).toEqual({ text, bad }),
  );
  it.each([
    [{ kind: 'manager' } as NodeReach, 'vm'],
    [{ kind: 'none' } as NodeReach, 'vm'],
    [down, 'vm (unreachable)'],
  ])('nodeCell(%j) → %s', (reach, cell) => expect(nodeCell('vm', reach)).toBe(cell));
});

// A stand-in engine API on a unix socket: answers /_ping and /version like dockerd.
function standIn(path: string): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', req.url?.includes('version') ? 'application/json' : 'text/plain');
    res.end(req.url?.includes('version') ? JSON.stringify({ ApiVersion: '1.41' }) : 'OK');
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

describe('NodeEngines reach', () => {
  it('an endpoint that stops answering is unreachable, and answers again by itself', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'chaosdeck-reach-')), 'engine.sock');
    const engines = new NodeEngines(
      {} as ContainerPort,
      'mgr',
      new Map([['w1', parseEndpoint(`unix://${socket}`, {})]]),
      (id) => (id === 'n1' ? 'w1' : undefined),
    );
    const heard: string[] = [];
    engines.onReach((name, r) => heard.push(`${name} ${r.kind}`));
    expect(engines.reachOf('mgr')).toEqual({ kind: 'manager' });
    expect(engines.reachOf('n9')).toEqual({ kind: 'none' });
    await engines.ping('w1').catch(() => undefined);
    expect(engines.reachOf('n1')).toMatchObject({
      kind: 'unreachable',
      error: expect.stringMatching(/cannot connect/),
    });
    const server = await standIn(socket);
    await engines.ping('w1');
    expect(engines.reachOf('n1')).toEqual({ kind: 'endpoint', url: `unix://${socket}` });
    await new Promise((resolve) => server.close(resolve));
    await engines.ping('w1').catch(() => undefined);
    expect(heard).toEqual(['w1 unreachable', 'w1 endpoint', 'w1 unreachable']);
  });

  it('a ping is skipped while the engine answered lately: an answer to a call, an event on its stream', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'chaosdeck-reach-')), 'engine.sock');
    const asked: string[] = [];
    let send: ((line: string) => void) | undefined;
    const server = createServer((req, res) => {
      const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0]!;
      asked.push(path);
      if (path === '/events') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        send = (line) => res.write(`${line}\n`);
        return;
      }
      res.setHeader('content-type', path === '/version' ? 'application/json' : 'text/plain');
      res.end(path === '/version' ? JSON.stringify({ ApiVersion: '1.41' }) : 'OK');
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const engines = new NodeEngines(
      {} as ContainerPort,
      'mgr',
      new Map([['w1', parseEndpoint(`unix://${socket}`, {})]]),
      () => undefined,
    );
    const pings = () => asked.filter((p) => p === '/_ping').length;
    await engines.ping('w1', 60_000);
    const first = pings();
    expect(first).toBeGreaterThan(0);
    await engines.ping('w1', 60_000);
    expect(pings()).toBe(first);
    // Without a fresh answer (freshMs 0) it asks.
    await engines.ping('w1', 0);
    expect(pings()).toBe(first + 1);
    // An event counts as an answer too.
    const events: string[] = [];
    const sub = await engines.eventSources()[0]!.engine.streamEvents(
      (e) => events.push(e.action),
      () => undefined,
    );
    await vi.waitFor(() => expect(send).toBeDefined());
    await new Promise((resolve) => setTimeout(resolve, 20));
    send!(
      JSON.stringify({
        Type: 'container',
        Action: 'exec_die',
        Actor: { ID: 'c1', Attributes: {} },
        time: 1,
        timeNano: 1e9,
      }),
    );
    await vi.waitFor(() => expect(events).toEqual(['exec_die']));
    // Two seconds on, nothing heard since: a ping; then an event, and none.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.advanceTimersByTime(2000);
    const before = pings();
    await engines.ping('w1', 1000);
    expect(pings()).toBe(before + 1);
    vi.advanceTimersByTime(2000);
    send!(JSON.stringify({ Type: 'container', Action: 'exec_die', Actor: { ID: 'c1' }, time: 2 }));
    await vi.waitFor(() => expect(events).toHaveLength(2));
    await engines.ping('w1', 1000);
    expect(pings()).toBe(before + 1);
    expect(engines.reachOf('w1')).toMatchObject({ kind: 'endpoint' });
    sub.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  afterEach(() => void vi.useRealTimers());
  it('watchReach pings every endpoint at once and then on its interval, a round at a time', async () => {
    vi.useFakeTimers();
    let pings = 0;
    const waiting: (() => void)[] = [];
    const stop = watchReach(
      {
        endpointNames: () => ['w1', 'w2'],
        ping: () => {
          pings++;
          return new Promise<void>((resolve) => waiting.push(resolve));
        },
      },
      1000,
    );
    expect(pings).toBe(2);
    vi.advanceTimersByTime(3000);
    expect(pings).toBe(2); // the first round still waits
    for (const resolve of waiting.splice(0)) resolve();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pings).toBe(4);
    stop();
    for (const resolve of waiting.splice(0)) resolve();
    await vi.advanceTimersByTimeAsync(5000);
    expect(pings).toBe(4);
  });
});

describe('reach on screen', () => {
  it('the header says which nodes answer; a task on an unreachable node says (unreachable)', async () => {
    const store = seededStore(120, 40);
    store
      .getState()
      .actions.setReach('labw1', { kind: 'unreachable', url: 'unix:///w', error: 'x' });
    const app = mount(store);
    await press(app.stdin, keys.down); // svc-00, whose task runs on labw1
    await press(app.stdin, keys.enter);
    const frame = plain(app.lastFrame());
    expect(frame.split('\n')[0]).toMatch(/reach: vm manager · labw1 unreachable/);
    expect(frame).toMatch(/svc-00\S*\.1\s+labw1 \(unreachable\)\s+running/);
    app.unmount();
  });
});
