import { nodeLossWatch } from '../console/node-loss-watch.js';
import type { InvalidEntry, Ledger } from '../chaos/ledger.js';
import type { DockerEngine } from '../docker/client.js';
import type { EngineInfo } from '../domain/types.js';
import type { GameDay } from '../game-day/game-day.js';
import { invalidEntriesNotice } from '../format/ledger-lines.js';
import { runCommand } from '../probes/command-probe.js';
import { httpGet } from '../probes/http-probe.js';
import { createDeckStore } from '../store/deck-store.js';
import { ExperimentFlow } from '../console/experiment-flow.js';
import { FaultFlow } from '../console/fault-flow.js';
import { consoleExperiments } from './console-experiments.js';
import { startLiveSync } from '../console/live-sync.js';
import { linkGameDay } from '../console/game-day-link.js';
import { watchClusterFaults } from '../console/cluster-watch.js';
import { ClusterLedger, settleWithSwarm } from '../chaos/cluster-ledger.js';
import { faultSummary } from '../faults/lines.js';
import { ExitPaths } from './exit-paths.js';
import { watchReach } from '../live/reach-watch.js';
import { packageVersion } from './package-info.js';
import { watchdogPromise } from '../chaos/watchdogs.js';
import { createGameDay } from './game-day-setup.js';
import { writeReportBeside } from '../record/write-report.js';
import type { Settings } from './settings.js';
import { selfContainerId } from './self.js';
import { Shutdown } from './shutdown.js';
import { watchTerminalAnswers } from './terminal-answer.js';
import { managerSwitchLine } from '../format/manager-lines.js';
import type * as RunConsole from './run-console.js';

type ConsoleModule = typeof RunConsole;

/** What the console needs from the command line. */
export interface ConsoleChoices {
  engine: DockerEngine;
  info: EngineInfo;
  config: Settings;
  ledger: Ledger;
  invalid: InvalidEntry[];
  color: boolean;
  readOnly: boolean;
  dryRun: boolean;
  yes: boolean;
  tcImage: string;
  /** Ink and the App, loading since start-up. */
  consoleModule: Promise<ConsoleModule>;
  /** Said at start: the state directory dies with this container (entry/state-volume.ts). */
  stateWarning?: string;
}

/** Wires the live console over a game day and runs it until quit; never returns. */
export async function runConsoleSession(c: ConsoleChoices): Promise<void> {
  const { engine, info, config, ledger } = c;
  // The store's recorder reaches the run, which is made after the store (it reads node names).
  const holder: { gameDay?: GameDay } = {};
  const store = createDeckStore({
    color: c.color,
    modes: {
      readOnly: c.readOnly,
      dryRun: c.dryRun,
      ...(config.context ? { context: config.context } : {}),
      version: packageVersion(),
    },
    recorder: {
      recordSample: (s, source) => holder.gameDay?.recordSample(s, source),
      note: (text) => holder.gameDay?.note(text),
      report: () => holder.gameDay?.report() ?? Promise.resolve([]),
    },
  });
  store.getState().actions.setEngine(info);
  const made = createGameDay({
    engine,
    info,
    config,
    ledger,
    dryRun: c.dryRun,
    readOnly: c.readOnly,
    tcImage: c.tcImage,
    followHelpers: true,
    hostnameOf: (id) => store.getState().nodes.find((n) => n.id === id)?.hostname,
    onAudit: (e) =>
      store.getState().actions.pushActivity({
        time: e.time,
        action: e.action,
        result: e.result,
        ...(e.target ? { target: e.target.slotName } : {}),
        ...(e.error ? { error: e.error } : {}),
      }),
    onWriteError: (message) => store.getState().actions.setNotice(message, 'bad'),
  });
  holder.gameDay = made.gameDay;
  // The header says which manager answers for the swarm while it is not ours; the activity, when.
  const unfollow = engine.onManagerSwitch((s) => {
    store.getState().actions.setVia(s.home ? undefined : s);
    store.getState().actions.pushActivity({
      time: new Date(s.at).toISOString(),
      action: 'manager',
      target: s.to,
      result: managerSwitchLine(s),
    });
  });
  const gameDay = made.gameDay;
  // Neither --helpers nor --no-helpers: the first fault key on a node without an endpoint asks.
  const enable = made.enableHelpers;
  const helpers =
    config.offerHelpers && enable
      ? {
          ...config.offerHelpers,
          reachable: (nodeId: string) => made.engines.forNode(nodeId) !== undefined,
          enable,
        }
      : undefined;
  // A partition's node, watched while Swarm loses it and takes it back (the timers pane).
  const nodeLoss = nodeLossWatch(
    engine,
    (r) => store.getState().actions.setNodeRecovery(r),
    (r) => gameDay.nodeRecovered(r),
  );
  const flow = c.readOnly
    ? undefined
    : new FaultFlow(store, gameDay, {
        yes: c.yes,
        ...(helpers ? { helpers } : {}),
        ending: (timed) => watchdogPromise(timed, made.watchdogs?.plan),
        watchNode: nodeLoss.start,
      });
  const experiments = c.readOnly
    ? undefined
    : new ExperimentFlow(
        store,
        consoleExperiments({
          gameDay,
          swarm: engine,
          dir: config.experimentsDir,
          timeoutMs: config.probeTimeoutMs,
          sampleIntervalMs: config.probeIntervalMs,
          dryRun: c.dryRun,
        }),
      );
  const shutdown = new Shutdown();
  const exits = new ExitPaths({
    shutdown,
    chaos: gameDay,
    ledgerFile: ledger.file,
    notify: (text) => store.getState().actions.setNotice(text, 'warn'),
    record: (code, why) => gameDay.end(code, why),
    // When anything happened: where its record is (the report is written now, beside the journal).
    farewell: () =>
      gameDay.eventful
        ? [
            `journal: ${gameDay.journalFile}`,
            `report: ${writeReportBeside(gameDay.journalFile, packageVersion())}`,
          ]
        : [],
  });
  exits.install();
  shutdown.add('game-day-link', linkGameDay(store, gameDay));
  shutdown.add('node-loss-watch', nodeLoss.stopAll);
  shutdown.add('manager-follow', unfollow);
  // Every owner's faults on this swarm, from its managers: another console's show here too.
  const cluster = new ClusterLedger(engine, '');
  shutdown.add(
    'cluster-faults',
    watchClusterFaults(store, () => cluster.list()),
  );

  // Runs after the live views stop: the helpers that followed them are removed from Swarm.
  shutdown.add('helpers', () => made.engines.close());

  // Which nodes answer: the header and the node column say so as it changes.
  for (const [name, reach] of made.engines.reachByName())
    store.getState().actions.setReach(name, reach);
  const unwatchReach = made.engines.onReach((name, reach) =>
    store.getState().actions.setReach(name, reach),
  );
  const stopPings = watchReach(made.engines);
  shutdown.add('reach', () => {
    stopPings();
    unwatchReach();
  });

  let started = false;
  let nodesKnown: unknown;
  // The first poll runs while Ink is still loading, so the first frame has the swarm in it.
  shutdown.add(
    'live',
    startLiveSync(store, {
      port: engine,
      containerPort: (id) => gameDay.containerPort(id),
      observe: async (tasks, services, coverage) => {
        if (!started) {
          started = true;
          gameDay.start('console', info, store.getState().nodes, services);
        }
        // A node listed later (the first poll may come before the node list) names its slots too.
        const { nodes } = store.getState();
        if (nodes !== nodesKnown) gameDay.knowNodes((nodesKnown = nodes));
        return gameDay.observe(tasks, services, coverage);
      },
      interest: () => gameDay.interest(),
      focus: () => gameDay.focus(),
      onHealth: (id, health) => gameDay.noteHealth(id, health),
      onEvent: (event) => gameDay.noteEvent(event),
      // A die or an OOM on a worker shows from its own engine's event, as on the manager's node.
      nodeEvents: made.engines.eventSources(),
    }),
  );
  const { runConsole } = await c.consoleModule;
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
    onSample: (sample) => gameDay.recordSample(sample, 'probe'),
    ...(flow ? { flow } : {}),
    ...(experiments ? { experiments } : {}),
  });
  // In a container the hang-up may never reach chaosdeck: the terminal is asked instead.
  if (selfContainerId() && process.stdin.isTTY)
    shutdown.add(
      'terminal-answers',
      watchTerminalAnswers(process.stdin, process.stdout, (why) => void exits.finish(129, why)),
    );
  // Registered last, so it runs first: faults are undone while the console still shows them.
  exits.undoOnExit();
  const settled = await settleWithSwarm(ledger, new ClusterLedger(engine, ''));
  if (settled.length > 0)
    store
      .getState()
      .actions.setNotice(
        `undone by the cluster while no chaosdeck ran here: ${settled.map((r) => faultSummary(r)).join('; ')}`,
        'warn',
      );
  const leftovers = gameDay.leftovers();
  if (c.stateWarning) store.getState().actions.setNotice(`WARNING: ${c.stateWarning}`, 'bad');
  const unreadable = invalidEntriesNotice(c.invalid, ledger.file);
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
