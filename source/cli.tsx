#!/usr/bin/env node
import { statSync } from 'node:fs';
import meow from 'meow';
import { Ledger, LedgerError, type InvalidEntry } from './chaos/ledger.js';
import { checkWritable, StatePathError } from './chaos/state-path.js';
import type { DockerEngine } from './docker/client.js';
import type { Endpoint } from './docker/endpoint.js';
import { EngineError, notSwarmMessage, workerMessage } from './docker/errors.js';
import type { EngineInfo } from './domain/types.js';
import { readSettings, type Settings } from './entry/settings.js';
import { USAGE } from './entry/usage.js';
import { joinNegativeValues } from './entry/argv.js';
import { colorDisabled } from './entry/terminal.js';
import { readFaultCommand, FAULT_KINDS, VALUE_FLAGS, FLAGS } from './entry/command-flags.js';
import { faultModule } from './faults/registry.js';
import { runReport } from './commands/report-command.js';
import { packageInfo, packageVersion } from './entry/package-info.js';
import { containerStateWarning } from './entry/state-volume.js';
import { readDuration } from './format/user-input.js';
import { managerSwitchLine } from './format/manager-lines.js';
import type { WatchdogTiming } from './commands/watchdog-command.js';

const cli = meow(USAGE, {
  importMeta: import.meta,
  // Given, not looked up: the single executable has no package.json to find.
  pkg: { ...packageInfo() },
  argv: joinNegativeValues(process.argv.slice(2), VALUE_FLAGS),
  // A mistyped flag must not be ignored (or swallow the command after it).
  allowUnknownFlags: false,
  // A boolean without a default stays undefined unless given: --no-helpers (false) is not silence.
  booleanDefault: undefined,
  flags: FLAGS,
});

function fail(message: string, code = 1): never {
  process.stderr.write(`chaosdeck: ${message}\n`);
  process.exit(code);
}

/**
 * Connects to the manager and checks that it is one; exits with a clear message when not. With
 * other managers given, the first that answers is used and the swarm followed through the rest.
 */
async function connectManager(
  endpoint: Endpoint,
  managers: Endpoint[] = [],
): Promise<{ engine: DockerEngine; info: EngineInfo }> {
  // dockerode loads here, while Ink loads for the console (see main): start-up overlaps.
  const { DockerEngine } = await import('./docker/client.js');
  const all = [endpoint, ...managers];
  for (const [i, at] of all.entries()) {
    const last = i === all.length - 1;
    let engine: DockerEngine;
    let info: EngineInfo;
    try {
      engine = await DockerEngine.connect(at);
      info = await engine.info();
    } catch (error) {
      if (last) throw error;
      process.stderr.write(
        `chaosdeck: ${(error as Error).message.replace(/\.$/, '')}; trying the next manager given (${all[i + 1]!.url})\n`,
      );
      continue;
    }
    if (info.swarmState !== 'active')
      fail(`${notSwarmMessage()} (engine at ${at.url}, swarm ${info.swarmState})`);
    if (!info.isManager) fail(workerMessage(info.nodeName, info.managers));
    const others = all.filter((e) => e !== at);
    if (others.length > 0) engine.followManagers(others, info.nodeName);
    return { engine, info };
  }
  throw new Error('no manager given');
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
function openLedger(
  config: Settings,
  journal: boolean,
): { ledger: Ledger; invalid: InvalidEntry[] } {
  try {
    checkWritable(config.ledgerFile, 'state directory');
    checkWritable(config.auditFile, 'audit log');
    if (journal) checkWritable(config.journalFile, 'journal');
    const ledger = new Ledger(config.ledgerFile);
    return { ledger, invalid: ledger.read().invalid };
  } catch (error) {
    if (error instanceof StatePathError || error instanceof LedgerError) fail(error.message, 2);
    throw error;
  }
}

/** Loads and checks an experiment; exits 2 listing every problem, or 0 under --validate. */
async function checkedExperiment(file: string) {
  const { loadExperiment } = await import('./experiment/load.js');
  const r = loadExperiment(file);
  // --validate --json: one document, whatever the verdict (a script reads it; exit 0 or 2).
  if (cli.flags.validate && cli.flags.json) {
    const valid = !('problems' in r);
    process.stdout.write(
      `${JSON.stringify(
        valid
          ? {
              file,
              valid,
              title: r.experiment.title,
              hypothesisProbes: r.experiment.hypothesis?.probes.length ?? 0,
              method: r.experiment.method.length,
              rollbacks: r.experiment.rollbacks.length,
              ignored: r.experiment.ignored,
            }
          : { file, valid, problems: r.problems },
        null,
        2,
      )}\n`,
    );
    process.exit(valid ? 0 : 2);
  }
  if ('problems' in r) {
    for (const p of r.problems)
      process.stderr.write(`chaosdeck: ${file}: ${p.path}: ${p.message}\n`);
    fail(
      `${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}; nothing was run`,
      2,
    );
  }
  if (cli.flags.validate) {
    const e = r.experiment;
    process.stdout.write(
      `${file}: valid — "${e.title}": ${e.hypothesis?.probes.length ?? 0} hypothesis probe(s), ${e.method.length} method activit${e.method.length === 1 ? 'y' : 'ies'}, ${e.rollbacks.length} rollback(s)\n`,
    );
    process.exit(0);
  }
  return r.experiment;
}

const COMMANDS = [
  'console',
  'status',
  'restore',
  'undo',
  'report',
  'run',
  'version',
  'watchdog',
  ...FAULT_KINDS,
];

/** The watchdog's timing flags (its service gives exactly one). */
function watchdogTiming(): WatchdogTiming {
  const ms = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const v = readDuration(text);
    if (typeof v !== 'number') fail(`--${flag}: ${v.error}`, 2);
    return v;
  };
  const endsInMs = ms('ends-in', cli.flags.endsIn);
  const graceMs = ms('holder-grace', cli.flags.holderGrace);
  const maxHoldMs = ms('max-hold', cli.flags.maxHold);
  return {
    ...(endsInMs !== undefined ? { endsInMs } : {}),
    ...(graceMs !== undefined && endsInMs === undefined ? { graceMs } : {}),
    ...(maxHoldMs !== undefined && endsInMs === undefined ? { maxHoldMs } : {}),
  };
}

async function main() {
  const [command = 'console', ...rest] = cli.input;
  const isFault = (FAULT_KINDS as readonly string[]).includes(command);
  const takes = isFault ? 1 : ['undo', 'report', 'run', 'watchdog'].includes(command) ? 1 : 0;
  if (!COMMANDS.includes(command) || rest.length > takes)
    fail(`unknown command "${cli.input.join(' ')}"; see chaosdeck --help`, 2);
  if (isFault && rest.length === 0)
    fail(
      faultModule(command).commandTarget === 'node'
        ? `${command} needs a NODE: its hostname, an id prefix, leader, or a SERVICE (the node one of its tasks runs on)`
        : `${command} needs a TARGET: SERVICE, SERVICE.SLOT, a task or container id, or re:REGEX`,
      2,
    );
  // partition has a --from of its own (managers|all).
  if (cli.flags.from && command !== 'restore' && command !== 'partition')
    fail('--from FILE is for chaosdeck restore (undo the faults a ledger file lists)', 2);
  // A ledger named by hand must be there: a missing one is a typo, not "nothing to restore".
  if (
    cli.flags.from &&
    command === 'restore' &&
    !statSync(cli.flags.from, { throwIfNoEntry: false })?.isFile()
  )
    fail(`--from ${cli.flags.from}: no such ledger file`, 2);
  if (command === 'run' && rest.length === 0)
    fail('run needs an EXPERIMENT file (Chaos Toolkit JSON or YAML)', 2);
  if (cli.flags.validate && command !== 'run')
    fail('--validate is for chaosdeck run (check an experiment file)', 2);
  // An experiment is checked before anything connects: no half-run experiment from a typo.
  const experiment = command === 'run' ? await checkedExperiment(rest[0]!) : undefined;
  const config = settings();
  if (command === 'report')
    process.exit(
      runReport(
        rest[0],
        config.stateDir,
        cli.flags.format ?? 'md',
        cli.flags.output,
        packageVersion(),
      ),
    );
  if (command === 'version') {
    const { runVersion } = await import('./commands/version-command.js');
    const { CLIENT_API_VERSION, DockerEngine } = await import('./docker/client.js');
    process.exit(
      await runVersion({
        client: { version: packageVersion(), node: process.version, api: CLIENT_API_VERSION },
        endpoint: config.endpoint.url,
        connect: () => DockerEngine.connect(config.endpoint),
        json: cli.flags.json,
      }),
    );
  }
  const faultCommand = isFault ? readFaultCommand(command, rest[0]!, cli.flags) : undefined;
  if (faultCommand && 'error' in faultCommand) fail(faultCommand.error, 2);

  const color = !colorDisabled(process.env, cli.flags.color);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const oneShotStatus = command === 'status' || (command === 'console' && !interactive);
  const { ledger, invalid } = oneShotStatus
    ? { ledger: new Ledger(config.ledgerFile), invalid: [] }
    : openLedger(config, command !== 'restore');
  // Ink draws nothing but the last frame when it thinks it runs in CI (CI or
  // CONTINUOUS_INTEGRATION set). A console on a real terminal is interactive whatever the shell
  // exports, so those variables are cleared before Ink loads.
  if (command === 'console' && interactive) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  // In a container, state on its own filesystem goes with it: said loudly, before anything.
  const stateWarning =
    oneShotStatus || command === 'watchdog' ? undefined : containerStateWarning(config.stateDir);
  if (stateWarning && !(command === 'console' && interactive))
    process.stderr.write(`chaosdeck: WARNING: ${stateWarning}\n`);
  // Loading Ink takes about as long as connecting: do both at once.
  const consoleModule = import('./entry/run-console.js');
  consoleModule.catch(() => undefined);
  const { engine, info } = await connectManager(config.endpoint, config.managers);
  const choices = {
    engine,
    info,
    config,
    ledger,
    invalid,
    dryRun: cli.flags.dryRun,
    readOnly: cli.flags.readOnly,
    tcImage: cli.flags.tcImage,
    json: cli.flags.json,
    line: process.argv.slice(2).join(' '),
    force: cli.flags.force,
  };
  if (command === 'console' && interactive) {
    const { runConsoleSession } = await import('./entry/console-run.js');
    return runConsoleSession({
      ...choices,
      color,
      yes: cli.flags.yes,
      consoleModule,
      ...(stateWarning ? { stateWarning } : {}),
    });
  }
  // A script's reader learns on stderr when the swarm is followed through another manager.
  engine.onManagerSwitch((s) => process.stderr.write(`chaosdeck: ${managerSwitchLine(s)}\n`));
  // The scripted commands load only for themselves: the console's start-up does not pay for them.
  const commands = await import('./entry/command-run.js');
  if (faultCommand) return commands.runFault(choices, faultCommand);
  if (experiment) {
    const { runExperiment } = await import('./entry/experiment-command.js');
    return runExperiment(choices, experiment, rest[0]!);
  }
  if (command === 'undo') return commands.runUndo(choices, rest[0]);
  if (command === 'watchdog') {
    const { runWatchdog } = await import('./entry/watchdog-run.js');
    return runWatchdog(choices, rest[0] ?? '', watchdogTiming());
  }
  if (command === 'restore') return commands.runRestoreCommand(choices);
  const code = await commands.runStatus(choices, cli.flags.service, process.stdout.columns || 200);
  if (command !== 'status')
    process.stderr.write(
      'chaosdeck: not a terminal, so this is a one-shot status. Run chaosdeck in a terminal (ssh -t) for the live console.\n',
    );
  process.exit(code);
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
