import pMap from 'p-map';
import { runFaultCommand } from '../commands/fault-command.js';
import type { FaultCommand } from '../fault-run/apply-fault.js';
import {
  everyOwnersFaults,
  statusJson,
  statusLines,
  statusTaskRows,
} from '../commands/status-command.js';
import { targetJson } from '../fault-run/targets.js';
import { ClusterLedger, settleWithSwarm } from '../chaos/cluster-ledger.js';
import { runUndoCommand } from '../commands/undo-command.js';
import type { InvalidEntry, Ledger } from '../chaos/ledger.js';
import type { DockerEngine } from '../docker/client.js';
import { withRunningCounts } from '../domain/task-slots.js';
import type { ContainerHealth, EngineInfo } from '../domain/types.js';
import { invalidEntryLines } from '../format/ledger-lines.js';
import { faultSummary } from '../faults/lines.js';
import { ownerAlive } from '../chaos/applier.js';
import { runCommand } from '../probes/command-probe.js';
import { httpGet } from '../probes/http-probe.js';
import { ExitPaths } from './exit-paths.js';
import { runRestore } from '../commands/restore-command.js';
import { createGameDay } from './game-day-setup.js';
import type { Settings } from './settings.js';
import { Shutdown } from './shutdown.js';
import { traitsOf } from '../faults/registry.js';
import { watchdogPromise } from '../chaos/watchdogs.js';

/** What a scripted command needs from the entry. */
export interface CommandChoices {
  engine: DockerEngine;
  info: EngineInfo;
  config: Settings;
  ledger: Ledger;
  invalid: InvalidEntry[];
  dryRun: boolean;
  readOnly: boolean;
  tcImage: string;
  json: boolean;
  /** The command line, for the journal ("kill lab_api --wait-recovery"). */
  line: string;
  /** undo: end another machine's fault even when its holder is alive. */
  force: boolean;
}

const print = (text: string) => process.stdout.write(`${text}\n`);

/**
 * Sets up the game day for a command: the journal's first line, exits that undo (on
 * signals too, unless the command handles them itself).
 */
export async function open(
  c: CommandChoices,
  journaled: boolean,
  signals = true,
  leavesFaults = false,
) {
  const messages: string[] = [];
  const say = (line: string) => (c.json ? messages.push(line) : print(line));
  const warn = (line: string) => {
    if (c.json) messages.push(line);
    process.stderr.write(`chaosdeck: ${line}\n`);
  };
  // Entries the cluster undid while no chaosdeck ran here (a watchdog): dropped, and said.
  for (const r of await settleWithSwarm(c.ledger, new ClusterLedger(c.engine, '')))
    warn(`undone by the cluster while no chaosdeck ran here: ${faultSummary(r)}`);
  const { gameDay, setNodes, watchdogs } = createGameDay({
    ...c,
    leavesFaults,
    onWriteError: (m) => process.stderr.write(`chaosdeck: ${m}\n`),
  });
  const [nodes, services, tasks] = await Promise.all([
    c.engine.listNodes(),
    c.engine.listServices(),
    c.engine.listTasks(),
  ]);
  setNodes(nodes);
  if (journaled) gameDay.start(c.line, c.info, nodes, withRunningCounts(services, tasks));
  const shutdown = new Shutdown();
  const exits = new ExitPaths({
    shutdown,
    chaos: gameDay,
    ledgerFile: c.ledger.file,
    notify: (text) => process.stderr.write(`chaosdeck: ${text}\n`),
    record: (code, why) => journaled && gameDay.end(code, why),
    watchTerminal: false,
    signals,
  });
  exits.install();
  exits.undoOnExit();
  /** Ends the command: faults it was not asked to hold stay active on purpose. */
  const done = (code: number, document?: Record<string, unknown>): never => {
    if (journaled) gameDay.end(code, 'done');
    gameDay.dispose();
    if (c.json && document) print(JSON.stringify({ ...document, messages }, null, 2));
    process.exit(code);
  };
  return { gameDay, say, warn, done, exits, nodes, services, tasks, watchdogs };
}

/** `chaosdeck kill|stop|... TARGET`: one scripted fault on the game day. */
export async function runFault(c: CommandChoices, cmd: FaultCommand): Promise<never> {
  const { gameDay, say, warn, done, watchdogs } = await open(c, true, true, true);
  const timeout = c.config.probeTimeoutMs;
  const probes = c.config.probes.map((p) => ({
    name: p.name,
    run: p.kind === 'http' ? () => httpGet(p.url, timeout) : () => runCommand(p.command, timeout),
  }));
  const result = await runFaultCommand(cmd, {
    gameDay,
    swarm: c.engine,
    probes,
    probeIntervalMs: c.config.probeIntervalMs,
    say,
    warn,
    untimedNote: watchdogPromise(false, watchdogs?.plan),
  });
  if (!c.json && gameDay.eventful) print(`journal: ${gameDay.journalFile}`);
  return done(result.code, {
    command: c.line,
    kind: cmd.kind,
    exitCode: result.code,
    dryRun: c.dryRun,
    runs: result.runs.map((r) => ({ ...r, target: targetJson(r.target) })),
    latency: result.latency,
    journal: gameDay.journalFile,
  });
}

/** `chaosdeck undo [FAULT-ID|TARGET]`. */
export async function runUndo(c: CommandChoices, spec: string | undefined): Promise<never> {
  const { gameDay, say, done } = await open(c, true);
  for (const line of invalidEntryLines(c.invalid, c.ledger.file)) say(line);
  // Another machine's faults too (from the swarm), when named: taken over if their holder is
  // silent, or with --force.
  const cluster = spec
    ? await new ClusterLedger(c.engine, '').list().catch((error: unknown) => {
        say(`the swarm's fault records cannot be read: ${(error as Error).message}`);
        return { records: [], invalid: [] };
      })
    : { records: [], invalid: [] };
  const r = await runUndoCommand(gameDay, c.ledger.list(), spec, say, {
    records: cluster.records,
    force: c.force,
    now: Date.now(),
  });
  const brief = (list: typeof r.undone) =>
    list.map((f) => ({ id: f.id, kind: f.kind, slot: f.target.slotName }));
  return done(c.invalid.length > 0 ? 1 : r.code, {
    command: c.line,
    exitCode: r.code,
    undone: brief(r.undone),
    failed: brief(r.failed),
    skipped: brief(r.skipped),
  });
}

/** `chaosdeck restore`: the ledger's leftovers, all undone. */
export async function runRestoreCommand(c: CommandChoices): Promise<never> {
  const { gameDay, say, done } = await open(c, false);
  for (const line of invalidEntryLines(c.invalid, c.ledger.file)) say(line);
  // A chaosdeck killed while a helper ran leaves its one-shot service: nothing else removes it.
  const helpers = await c.engine.removeHelperServices().catch(() => 0);
  if (helpers > 0) say(`removed ${helpers} leftover helper service${helpers === 1 ? '' : 's'}`);
  const code = await runRestore(gameDay, say, c.ledger.list());
  return done(c.invalid.length > 0 ? 1 : code);
}

/** `chaosdeck status [--json] [--service NAME]`: services, tasks, health and faults, once. */
export async function runStatus(
  c: Pick<CommandChoices, 'engine' | 'info' | 'config' | 'ledger' | 'json' | 'tcImage'>,
  serviceName: string | undefined,
  width: number,
): Promise<number> {
  const { gameDay, setNodes } = createGameDay({
    ...c,
    dryRun: true,
    readOnly: true,
    onWriteError: () => undefined,
  });
  const [nodes, rawServices, tasks] = await Promise.all([
    c.engine.listNodes(),
    c.engine.listServices(),
    c.engine.listTasks(),
  ]);
  setNodes(nodes);
  const services = withRunningCounts(rawServices, tasks).filter(
    (s) => !serviceName || s.name === serviceName,
  );
  if (serviceName && services.length === 0) {
    process.stderr.write(`chaosdeck: no service named ${serviceName}\n`);
    return 1;
  }
  // Health only where there is one to read: started tasks of services with a healthcheck (Swarm
  // says `starting` until the first probe passes: Docker's `starting` then, not unknown).
  const health: Record<string, ContainerHealth | undefined> = {};
  const checked = tasks.filter(
    (t) =>
      (t.state === 'running' || t.state === 'starting') &&
      t.containerId &&
      services.some((s) => s.id === t.serviceId && s.hasHealthcheck),
  );
  // Bounded: a swarm of hundreds of services must not open hundreds of inspects at once.
  await pMap(
    checked,
    async (t) => {
      health[t.containerId!] = await gameDay
        .containerPort(t.nodeId)
        ?.inspectHealth(t.containerId!)
        .catch(() => undefined);
    },
    { concurrency: 16 },
  );
  for (const r of await settleWithSwarm(c.ledger, new ClusterLedger(c.engine, '')))
    process.stderr.write(
      `chaosdeck: undone by the cluster while no chaosdeck ran here: ${faultSummary(r)}\n`,
    );
  // One read of the ledger: the faults shown, and the reminder for those nobody will undo.
  // A damaged ledger must not hide the swarm: say so and show the rest.
  let all: ReturnType<Ledger['list']> = [];
  try {
    all = c.ledger.list();
  } catch (error) {
    process.stderr.write(`chaosdeck: ${(error as Error).message}\n`);
  }
  // And the faults the swarm holds (any owner's, any machine's): a swarm that cannot be read
  // for them still shows what it can.
  const cluster = await new ClusterLedger(c.engine, '').list().catch((error: unknown) => {
    process.stderr.write(`chaosdeck: the swarm's fault records: ${(error as Error).message}\n`);
    return { records: [], invalid: [] };
  });
  for (const bad of cluster.invalid)
    process.stderr.write(`chaosdeck: a fault record in the swarm cannot be read: ${bad}\n`);
  const faults = everyOwnersFaults(all, cluster.records).filter(
    (f) => services.some((s) => s.id === f.target.serviceId) || traitsOf(f.kind).onNode,
  );
  const rows = statusTaskRows(services, tasks, nodes, health, faults);
  const where = {
    engine: c.config.endpoint.url,
    ...(c.config.context ? { context: c.config.context } : {}),
    node: c.info.nodeName,
  };
  if (c.json)
    print(JSON.stringify({ ...where, ...statusJson(services, rows, faults, nodes) }, null, 2));
  else {
    const ready = nodes.filter((n) => n.ready).length;
    const context = c.config.context ? `context ${c.config.context} · ` : '';
    print(
      `${context}swarm ${c.info.swarmState} · ${c.info.nodeName} · engine ${c.info.version} · nodes ${ready}/${nodes.length} ready · ${services.length} services`,
    );
    for (const line of statusLines(rows, width, Date.now())) print(line);
  }
  for (const r of all.filter((f) => !ownerAlive(f)))
    process.stderr.write(
      `chaosdeck: still active from a chaosdeck that stopped: ${faultSummary(r)} (chaosdeck undo or restore undoes it)\n`,
    );
  return 0;
}
