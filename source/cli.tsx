#!/usr/bin/env node
import meow from 'meow';
import { AuditLog } from './chaos/audit.js';
import { ChaosController, type UndoSummary } from './chaos/controller.js';
import { DeckChaos } from './chaos/fault-service.js';
import { Ledger } from './chaos/ledger.js';
import type { DockerEngine } from './docker/client.js';
import type { Endpoint } from './docker/endpoint.js';
import { EngineError, notSwarmMessage, workerMessage } from './docker/errors.js';
import { NodeEngines } from './docker/node-engines.js';
import type { EngineInfo } from './domain/types.js';
import { readSettings, type Settings } from './entry/settings.js';
import { printStatus } from './entry/status.js';
import { runRestore, summaryLines } from './entry/restore.js';
import { selfContainerId } from './entry/self.js';
import { Shutdown } from './entry/shutdown.js';
import { colorDisabled } from './entry/terminal.js';
import { faultSummary } from './format/fault-lines.js';
import { httpGet } from './probes/http-probe.js';
import { runCommand } from './probes/command-probe.js';
import { createDeckStore } from './store/deck-store.js';
import { FaultFlow } from './store/fault-flow.js';
import { startLiveSync } from './store/live-sync.js';

// React's development build costs several times the CPU per frame; the console is not a dev tool.
// Set before anything loads React: nothing this file imports statically may import it.
process.env.NODE_ENV ??= 'production';

const cli = meow(
  `
  Usage
    $ chaosdeck [options]          the live console (needs a terminal)
    $ chaosdeck status [options]   print services and their tasks once, then exit
    $ chaosdeck restore [options]  undo faults a chaosdeck that died left active; exit 1 if any undo fails

  Options
    --host, -H URL       Docker endpoint of a swarm manager: unix:///path, tcp://host:2376
                         (TLS with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH) or ssh://user@host.
                         Default: $DOCKER_HOST, else unix:///var/run/docker.sock
    --node NAME=URL      Docker endpoint of another node, for faults and health of its tasks
                         (repeatable), e.g. --node labw1=unix:///run/chaosdeck-lab/labw1.sock
    --yes, -y            no y/n confirmation before a fault (typing a service name for its
                         last replica is still asked)
    --protect REGEX      services whose name matches cannot be targeted (repeatable);
                         the label chaosdeck.protect=true does the same
    --read-only          no fault keys at all (observers)
    --dry-run            show and log every fault as it would happen; change nothing
    --audit FILE         audit log (JSON lines); default $XDG_STATE_HOME/chaosdeck/audit.log
    --config FILE        JSON config {host, nodes:{name:url}, protect:[], audit};
                         default $XDG_CONFIG_HOME/chaosdeck/config.json when present
    --probe NAME=URL     time a user action: HTTP GET of URL (fresh connection, like curl);
    --probe NAME=cmd:C   or a shell command (exit 0 = ok); repeatable. Samples are tagged
                         before / during / after the nearest fault window
    --probe-interval D   time between samples of a probe (default 1s)
    --probe-timeout D    a sample taking longer is an error (default 10s)
    --tc-image IMAGE     image with tc and iptables for network windows through a helper container
                         (default ghcr.io/alexei-led/pumba-alpine-nettools:latest); as root on a
                         node chaosdeck uses nsenter instead
    --no-color           no colour (NO_COLOR=1 does the same)
    --version, --help

  Keys in the console: press ? for the full list.
`,
  {
    importMeta: import.meta,
    flags: {
      host: { type: 'string', shortFlag: 'H' },
      node: { type: 'string', isMultiple: true, default: [] },
      yes: { type: 'boolean', shortFlag: 'y', default: false },
      protect: { type: 'string', isMultiple: true, default: [] },
      readOnly: { type: 'boolean', default: false },
      dryRun: { type: 'boolean', default: false },
      audit: { type: 'string' },
      config: { type: 'string' },
      probe: { type: 'string', isMultiple: true, default: [] },
      tcImage: { type: 'string', default: 'ghcr.io/alexei-led/pumba-alpine-nettools:latest' },
      probeInterval: { type: 'string', default: '1s' },
      probeTimeout: { type: 'string', default: '10s' },
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
  // dockerode loads here, while Ink loads for the console (see main): start-up overlaps.
  const { DockerEngine } = await import('./docker/client.js');
  const engine = await DockerEngine.connect(endpoint);
  const info = await engine.info();
  if (info.swarmState !== 'active')
    fail(`${notSwarmMessage()} (engine at ${endpoint.url}, swarm ${info.swarmState})`);
  if (!info.isManager) fail(workerMessage(info.nodeName, info.managers));
  return { engine, info };
}

/** Reads flags and config into settings; exits with a message on anything malformed. */
function settings(): Settings {
  try {
    return readSettings(cli.flags, process.env);
  } catch (error) {
    fail((error as Error).message, 2);
  }
}

async function main() {
  const [command = 'console'] = cli.input;
  if (!['console', 'status', 'restore'].includes(command))
    fail(`unknown command "${command}"; see chaosdeck --help`, 2);
  const config = settings();
  const color = !colorDisabled(process.env, cli.flags.color);
  // Ink draws nothing but the last frame when it thinks it runs in CI (CI or
  // CONTINUOUS_INTEGRATION set). A console on a real terminal is interactive whatever the shell
  // exports, so those variables are cleared before Ink loads.
  if (command === 'console' && process.stdin.isTTY && process.stdout.isTTY) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  // Loading Ink takes about as long as connecting: do both at once.
  const consoleModule = import('./entry/run-console.js');
  consoleModule.catch(() => undefined);
  const { engine, info } = await connectManager(config.endpoint);

  const store = createDeckStore({
    color,
    modes: { readOnly: cli.flags.readOnly, dryRun: cli.flags.dryRun },
  });
  store.getState().actions.setEngine(info);
  const hostnameOf = (id: string) => store.getState().nodes.find((n) => n.id === id)?.hostname;
  // nsenter reaches containers of engines on this machine, and only as root.
  const net = { tcImage: cli.flags.tcImage, nsenter: process.getuid?.() === 0 };
  engine.net = { ...net, nsenter: net.nsenter && config.endpoint.kind === 'unix' };
  const engines = new NodeEngines(engine, info.nodeId, config.nodes, hostnameOf, net);
  const ledger = new Ledger(config.ledgerFile);
  const audit = new AuditLog(config.auditFile, (e) =>
    store.getState().actions.pushActivity({
      time: e.time,
      action: e.action,
      result: e.result,
      ...(e.target ? { target: e.target.slotName } : {}),
      ...(e.error ? { error: e.error } : {}),
    }),
  );
  const ports = { swarm: engine, containerPort: (id: string) => engines.forNode(id) };
  const chaos = new ChaosController({
    ...ports,
    ledger,
    audit,
    dryRun: cli.flags.dryRun,
    onChange: (f) => store.getState().actions.setFaults(f),
    onWindow: (w) => store.getState().actions.upsertWindow(w),
  });

  if (command === 'restore') {
    // Restore needs the node names for --node endpoints.
    store.getState().actions.setSwarm({ nodes: await engine.listNodes(), at: Date.now() });
    process.exit(
      await runRestore(chaos, (line) => process.stdout.write(`${line}\n`), ledger.list()),
    );
  }

  const interactive = process.stdin.isTTY && process.stdout.isTTY;
  if (command === 'status' || !interactive) {
    await printStatus(engine, info, process.stdout, color && process.stdout.isTTY === true);
    for (const r of chaos.leftovers())
      process.stderr.write(
        `chaosdeck: still active from a chaosdeck that stopped: ${faultSummary(r)} (chaosdeck restore undoes it)\n`,
      );
    if (command !== 'status') {
      process.stderr.write(
        'chaosdeck: not a terminal, so this is a one-shot status. Run chaosdeck in a terminal (ssh -t) for the live console.\n',
      );
    }
    return;
  }

  const guarded = new DeckChaos(chaos, ports, {
    protect: config.protect,
    readOnly: cli.flags.readOnly,
    ...(selfContainerId() ? { selfContainerId: selfContainerId()! } : {}),
  });
  const flow = cli.flags.readOnly
    ? undefined
    : new FaultFlow(store, guarded, { yes: cli.flags.yes });
  const shutdown = new Shutdown();
  let undoSummary: UndoSummary | undefined;
  let exiting = false;
  const finish = async (code: number, message?: string) => {
    if (exiting) return;
    exiting = true;
    await shutdown.run((name, error) =>
      process.stderr.write(`chaosdeck: cleanup ${name} failed: ${String(error)}\n`),
    );
    if (message) process.stderr.write(`chaosdeck: ${message}\n`);
    for (const line of undoSummary ? summaryLines(undoSummary) : [])
      process.stderr.write(`chaosdeck: ${line}\n`);
    process.exit(undoSummary?.failed.length ? 1 : code);
  };
  // A dropped SSH session closes the terminal: writes fail, the undo must still run.
  process.stdout.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(
      signal,
      () => void finish(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
    );
  }
  process.on('uncaughtException', (error) => void finish(70, `crashed: ${error.message}`));
  process.on('unhandledRejection', (error) => void finish(70, `crashed: ${String(error)}`));

  // The first poll runs while Ink is still loading, so the first frame has the swarm in it.
  shutdown.add('live', startLiveSync(store, { port: engine, containerPort: ports.containerPort }));
  const { runConsole } = await consoleModule;
  const timeout = config.probeTimeoutMs;
  const probes = config.probes.map((p) => ({
    name: p.name,
    run: p.kind === 'http' ? () => httpGet(p.url, timeout) : () => runCommand(p.command, timeout),
  }));
  const quitting = runConsole({
    store,
    shutdown,
    probes,
    probeIntervalMs: config.probeIntervalMs,
    ...(flow ? { flow } : {}),
  });
  // Registered last, so it runs first: faults are undone while the console still shows them.
  shutdown.add('faults', async () => {
    if (chaos.list().length > 0)
      store.getState().actions.setNotice(`undoing ${chaos.list().length} fault(s)…`, 'warn');
    undoSummary = await chaos.undoAll();
    chaos.dispose();
  });
  const leftovers = chaos.leftovers();
  if (leftovers.length > 0) {
    if (flow) flow.offerLeftovers(leftovers);
    else
      store
        .getState()
        .actions.setNotice(
          `${leftovers.length} fault(s) from a chaosdeck that stopped are still active; chaosdeck restore undoes them`,
          'bad',
        );
  }
  await quitting;
  await finish(0);
}

main().catch((error: unknown) => {
  if (error instanceof EngineError) fail(error.message);
  fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`);
});
