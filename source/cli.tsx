#!/usr/bin/env node
import { statSync } from 'node:fs';
import meow from 'meow';
import { AuditLog } from './chaos/audit.js';
import { ChaosController } from './chaos/controller.js';
import { DeckChaos } from './chaos/fault-service.js';
import { Ledger, LedgerError, type InvalidEntry } from './chaos/ledger.js';
import { checkWritable, StatePathError } from './chaos/state-path.js';
import type { DockerEngine } from './docker/client.js';
import type { Endpoint } from './docker/endpoint.js';
import { EngineError, notSwarmMessage, workerMessage } from './docker/errors.js';
import { NodeEngines } from './docker/node-engines.js';
import type { EngineInfo } from './domain/types.js';
import { readSettings, type Settings } from './entry/settings.js';
import { printStatus } from './entry/status.js';
import { runRestore } from './entry/restore.js';
import { selfContainerId } from './entry/self.js';
import { Shutdown } from './entry/shutdown.js';
import { USAGE } from './entry/usage.js';
import { joinNegativeValues } from './entry/argv.js';
import { colorDisabled } from './entry/terminal.js';
import { ExitPaths } from './entry/exit-paths.js';
import { faultSummary } from './format/fault-lines.js';
import { invalidEntriesNotice, invalidEntryLines } from './format/ledger-lines.js';
import { httpGet } from './probes/http-probe.js';
import { runCommand } from './probes/command-probe.js';
import { createDeckStore } from './store/deck-store.js';
import { FaultFlow } from './store/fault-flow.js';
import { startLiveSync } from './store/live-sync.js';
import { watchFaultTargets } from './store/target-watch.js';

// React's development build costs several times the CPU per frame; the console is not a dev tool.
// Set before anything loads React: nothing this file imports statically may import it.
process.env.NODE_ENV ??= 'production';

const cli = meow(USAGE, {
  importMeta: import.meta,
  argv: joinNegativeValues(process.argv.slice(2), [
    '--probe-interval',
    '--probe-timeout',
    '--host',
    '-H',
    '--node',
    '--protect',
    '--audit',
    '--config',
    '--probe',
    '--from',
  ]),
  // A mistyped flag must not be ignored (or swallow the command after it).
  allowUnknownFlags: false,
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
    from: { type: 'string' },
    color: { type: 'boolean', default: true },
  },
});

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

/** Checks the state files can be kept and the ledger read; exits 2 saying why when not. */
function openLedger(config: Settings): { ledger: Ledger; invalid: InvalidEntry[] } {
  try {
    checkWritable(config.ledgerFile, 'state directory');
    checkWritable(config.auditFile, 'audit log');
    const ledger = new Ledger(config.ledgerFile);
    return { ledger, invalid: ledger.read().invalid };
  } catch (error) {
    if (error instanceof StatePathError || error instanceof LedgerError) fail(error.message, 2);
    throw error;
  }
}

async function main() {
  const [command = 'console'] = cli.input;
  if (!['console', 'status', 'restore'].includes(command) || cli.input.length > 1)
    fail(`unknown command "${cli.input.join(' ')}"; see chaosdeck --help`, 2);
  if (cli.flags.from && command !== 'restore')
    fail('--from FILE is for chaosdeck restore (undo the faults a ledger file lists)', 2);
  // A ledger named by hand must be there: a missing one is a typo, not "nothing to restore".
  if (cli.flags.from && !statSync(cli.flags.from, { throwIfNoEntry: false })?.isFile())
    fail(`--from ${cli.flags.from}: no such ledger file`, 2);
  const config = settings();
  const color = !colorDisabled(process.env, cli.flags.color);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const { ledger, invalid } =
    command === 'status' || (command === 'console' && !interactive)
      ? { ledger: new Ledger(config.ledgerFile), invalid: [] }
      : openLedger(config);
  // Ink draws nothing but the last frame when it thinks it runs in CI (CI or
  // CONTINUOUS_INTEGRATION set). A console on a real terminal is interactive whatever the shell
  // exports, so those variables are cleared before Ink loads.
  if (command === 'console' && interactive) {
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
    const write = (line: string) => process.stdout.write(`${line}\n`);
    for (const line of invalidEntryLines(invalid, ledger.file)) write(line);
    const code = await runRestore(chaos, write, ledger.list());
    process.exit(invalid.length > 0 ? 1 : code);
  }

  if (command === 'status' || !interactive) {
    await printStatus(engine, info, process.stdout, color && process.stdout.isTTY === true);
    try {
      for (const r of chaos.leftovers())
        process.stderr.write(
          `chaosdeck: still active from a chaosdeck that stopped: ${faultSummary(r)} (chaosdeck restore undoes it)\n`,
        );
    } catch (error) {
      process.stderr.write(`chaosdeck: ${(error as Error).message}\n`);
    }
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
  const exits = new ExitPaths({
    shutdown,
    chaos,
    ledgerFile: ledger.file,
    notify: (text) => store.getState().actions.setNotice(text, 'warn'),
    record: (code, why) =>
      audit.write({ action: 'exit', params: { code, why }, result: code === 0 ? 'ok' : 'failed' }),
  });
  exits.install();

  // A target that dies takes its fault with it: say so, do not keep it listed as active.
  if (flow) shutdown.add('target-watch', watchFaultTargets(store, guarded));
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
  exits.undoOnExit();
  const leftovers = chaos.leftovers();
  const unreadable = invalidEntriesNotice(invalid, ledger.file);
  if (unreadable) store.getState().actions.setNotice(unreadable, 'bad');
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
  await exits.finish(0);
}

main().catch((error: unknown) => {
  if (error instanceof EngineError) fail(error.message);
  if (error instanceof LedgerError || error instanceof StatePathError) fail(error.message, 2);
  // A bug: say where the faults are kept, in case any was applied.
  let where = '';
  try {
    where = ` — faults chaosdeck applied are listed in ${readSettings(cli.flags, process.env).ledgerFile}; chaosdeck restore undoes them`;
  } catch {
    // The settings themselves failed; the message above is all there is.
  }
  fail(`unexpected error (a bug): ${(error as Error)?.message ?? String(error)}${where}`);
});
