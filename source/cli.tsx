#!/usr/bin/env node
import { stripVTControlCharacters } from 'node:util';
import meow from 'meow';
import { parseEndpoint, type Endpoint } from './docker/endpoint.js';
import { DockerEngine } from './docker/client.js';
import { EngineError, notSwarmMessage, workerMessage } from './docker/errors.js';
import type { EngineInfo } from './domain/types.js';
import { Shutdown } from './entry/shutdown.js';
import { colorDisabled } from './entry/terminal.js';
import { statusRows } from './format/status-table.js';

const cli = meow(
  `
  Usage
    $ chaosdeck [options]          the live console (needs a terminal)
    $ chaosdeck status [options]   print services and their tasks once, then exit

  Options
    --host, -H URL     Docker endpoint of a swarm manager: unix:///path, tcp://host:2376
                       (TLS with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH) or ssh://user@host.
                       Default: $DOCKER_HOST, else unix:///var/run/docker.sock
    --no-color         No colour (NO_COLOR=1 does the same)
    --version          Print the version
    --help             This help

  Keys in the console: press ? for the full list.
`,
  {
    importMeta: import.meta,
    flags: {
      host: { type: 'string', shortFlag: 'H' },
      color: { type: 'boolean', default: true },
    },
  },
);

function fail(message: string, code = 1): never {
  process.stderr.write(`chaosdeck: ${message}\n`);
  process.exit(code);
}

/** Connects to the manager and checks that it is one; exits with a clear message when not. */
async function connectManager(
  endpoint: Endpoint,
): Promise<{ engine: DockerEngine; info: EngineInfo }> {
  const engine = await DockerEngine.connect(endpoint);
  const info = await engine.info();
  if (info.swarmState !== 'active')
    fail(`${notSwarmMessage()} (engine at ${endpoint.url}, swarm ${info.swarmState})`);
  if (!info.isManager) fail(workerMessage(info.nodeName, info.managers));
  return { engine, info };
}

async function printStatus(engine: DockerEngine, info: EngineInfo, color: boolean) {
  const [services, tasks, nodes] = await Promise.all([
    engine.listServices(),
    engine.listTasks(),
    engine.listNodes(),
  ]);
  const ready = nodes.filter((n) => n.ready).length;
  const title = `swarm ${info.swarmState} · ${info.nodeName} · engine ${info.version} API ${info.apiVersion} · nodes ${ready}/${nodes.length} ready`;
  const columns = process.stdout.columns || 200;
  const [{ renderToString }, { StatusTable }] = await Promise.all([
    import('ink'),
    import('./ui/StatusTable.js'),
  ]);
  const text = renderToString(
    <StatusTable title={title} rows={statusRows(services, tasks, nodes, Date.now())} />,
    { columns },
  );
  process.stdout.write(`${color ? text : stripVTControlCharacters(text)}\n`);
}

async function main() {
  const [command = 'console'] = cli.input;
  if (command !== 'console' && command !== 'status')
    fail(`unknown command "${command}"; see chaosdeck --help`, 2);
  let endpoint: Endpoint;
  try {
    endpoint = parseEndpoint(cli.flags.host, process.env);
  } catch (error) {
    fail((error as Error).message, 2);
  }
  const color = !colorDisabled(process.env, cli.flags.color);
  // React's development build costs several times the CPU per frame; the console is not a dev tool.
  process.env.NODE_ENV ??= 'production';
  // Loading Ink takes about as long as connecting: do both at once.
  const consoleModule = import('./entry/run-console.js');
  consoleModule.catch(() => undefined);
  const { engine, info } = await connectManager(endpoint);

  const interactive = process.stdin.isTTY && process.stdout.isTTY;
  if (command === 'status' || !interactive) {
    await printStatus(engine, info, color && process.stdout.isTTY === true);
    if (command !== 'status') {
      process.stderr.write(
        'chaosdeck: not a terminal, so this is a one-shot status. Run chaosdeck in a terminal (ssh -t) for the live console.\n',
      );
    }
    return;
  }

  const shutdown = new Shutdown();
  const finish = async (code: number, message?: string) => {
    await shutdown.run((name, error) =>
      process.stderr.write(`chaosdeck: cleanup ${name} failed: ${String(error)}\n`),
    );
    if (message) process.stderr.write(`chaosdeck: ${message}\n`);
    process.exit(code);
  };
  // An SSH session dropping sends SIGHUP; all three end the console the same way as q.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(
      signal,
      () => void finish(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
    );
  }
  process.on('uncaughtException', (error) => void finish(70, `crashed: ${error.message}`));
  process.on('unhandledRejection', (error) => void finish(70, `crashed: ${String(error)}`));

  const { runConsole } = await consoleModule;
  await runConsole({
    port: engine,
    engine: info,
    containerPort: (nodeId) => (nodeId === info.nodeId ? engine : undefined),
    color,
    shutdown,
  });
  await finish(0);
}

main().catch((error: unknown) => {
  if (error instanceof EngineError) fail(error.message);
  fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`);
});
