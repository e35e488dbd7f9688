/**
 * A stand-in Docker Engine API on a unix socket, for benchmarks at a size the lab cannot reach:
 * N services with K running tasks each (plus history), M nodes, objects cloned from the lab's
 * real ones (bench/fixtures/lab-objects.json). It answers what the console asks (ping, version,
 * info, services with status, tasks and services with filters, nodes, container inspect, events)
 * and can churn: a share of tasks fail every second and are replaced, as Swarm would do.
 *
 *   node bench/.build/bench/fake-engine.js --socket /tmp/fake.sock --services 1000 --tasks 5 \
 *     [--history 1] [--nodes 5] [--churn 1]
 *
 * Control: POST /_bench/fail?service=NAME fails slot 1 of that service now (a `die` event goes
 * out) and replaces it after --restart-ms (default 1500); POST /_bench/churn?percent=P sets the
 * churn.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { buildSwarm, failTask, replaceTask, type FakeSwarm } from './fake-swarm.js';

const { values } = parseArgs({
  options: {
    socket: { type: 'string', default: '/tmp/chaosdeck-fake-engine.sock' },
    services: { type: 'string', default: '1000' },
    tasks: { type: 'string', default: '5' },
    history: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '5' },
    churn: { type: 'string', default: '0' },
    'restart-ms': { type: 'string', default: '1500' },
  },
});

const fixtures = JSON.parse(
  readFileSync(new URL('../../../bench/fixtures/lab-objects.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, unknown>>;

const swarm: FakeSwarm = buildSwarm(fixtures, {
  services: Number(values.services),
  tasksPerService: Number(values.tasks),
  history: Number(values.history),
  nodes: Number(values.nodes),
});
const listeners = new Set<ServerResponse>();
const restartMs = Number(values['restart-ms']);

/** The engine's filters parameter: {"key":["a"]} or {"key":{"a":true}}. */
function filtersOf(url: URL): Map<string, Set<string>> {
  const raw = url.searchParams.get('filters');
  const out = new Map<string, Set<string>>();
  if (!raw) return out;
  for (const [key, value] of Object.entries(JSON.parse(raw) as Record<string, unknown>)) {
    out.set(key, new Set(Array.isArray(value) ? value : Object.keys(value as object)));
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Api-Version': '1.41' });
  res.end(text);
}

function emit(event: Record<string, unknown>): void {
  const line = JSON.stringify(event) + '\n';
  for (const res of listeners) res.write(line);
}

function fail(serviceIndex: number, slot: number): { taskId: string; at: number } | undefined {
  const failed = failTask(swarm, serviceIndex, slot);
  if (!failed) return undefined;
  if (failed.onManager) emit(failed.event);
  setTimeout(() => replaceTask(swarm, failed.task), restartMs);
  return { taskId: failed.task.ID as string, at: failed.at };
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://engine');
  const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
  const filters = filtersOf(url);
  if (path === '/_ping') return send(res, 200, 'OK');
  if (path === '/version') return send(res, 200, fixtures.version);
  if (path === '/info') return send(res, 200, swarm.info);
  if (path === '/services') {
    return send(res, 200, swarm.listServices(filters, url.searchParams.get('status') === 'true'));
  }
  if (path.startsWith('/services/')) {
    const one = swarm.service(decodeURIComponent(path.slice('/services/'.length)));
    return one ? send(res, 200, one) : send(res, 404, { message: 'service not found' });
  }
  if (path === '/tasks') {
    try {
      return send(res, 200, swarm.listTasks(filters));
    } catch (error) {
      return send(res, 404, { message: (error as Error).message });
    }
  }
  if (path === '/nodes') return send(res, 200, swarm.nodes);
  if (path.startsWith('/nodes/')) {
    const key = decodeURIComponent(path.slice('/nodes/'.length));
    const node = swarm.nodes.find((n) => n.ID === key || n.Description.Hostname === key);
    return node ? send(res, 200, node) : send(res, 404, { message: 'node not found' });
  }
  const container = /^\/containers\/([^/]+)\/json$/.exec(path);
  if (container) {
    const inspect = swarm.inspect(container[1]!);
    return inspect ? send(res, 200, inspect) : send(res, 404, { message: 'No such container' });
  }
  if (path === '/containers/json') return send(res, 200, []);
  if (path === '/events') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Api-Version': '1.41' });
    res.flushHeaders();
    listeners.add(res);
    req.on('close', () => listeners.delete(res));
    return;
  }
  if (req.method === 'POST' && path === '/_bench/churn') {
    churnShare = Number(url.searchParams.get('percent') ?? '0') / 100;
    return send(res, 200, { churn: churnShare * 100 });
  }
  if (req.method === 'POST' && path === '/_bench/fail') {
    const name = url.searchParams.get('service') ?? '';
    const index = swarm.indexOf(name);
    const done = index === undefined ? undefined : fail(index, 1);
    return done ? send(res, 200, done) : send(res, 404, { message: `no service ${name}` });
  }
  send(res, 404, { message: `page not found: ${req.method} ${path}` });
}

let churnShare = Number(values.churn) / 100;
// Service 0 is left alone: a bench times its own changes there.
setInterval(() => {
  if (churnShare > 0) {
    const count = Math.max(1, Math.round(swarm.currentCount() * churnShare));
    for (let i = 0; i < count; i++) {
      const service = 1 + Math.floor(Math.random() * (swarm.serviceCount - 1));
      fail(service, 1 + Math.floor(Math.random() * swarm.tasksPerService));
    }
  }
}, 1000).unref();

rmSync(values.socket, { force: true });
const server = createServer(route);
server.listen(values.socket, () => {
  process.stdout.write(
    `${JSON.stringify({ socket: values.socket, services: swarm.serviceCount, tasks: swarm.taskCount() })}\n`,
  );
});
const stop = () => {
  for (const res of listeners) res.end();
  server.close();
  rmSync(values.socket, { force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
