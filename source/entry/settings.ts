import { join } from 'node:path';
import { stateDir } from '../chaos/state-dir.js';
import { defaultJournalFile } from '../game-day/journal.js';
import { otherManagers, resolveConnection } from '../docker/context.js';
import { parseNodeFlags, type Endpoint } from '../docker/endpoint.js';
import type { HelperOptions } from '../docker/swarm-helper.js';
import { readDuration } from '../format/user-input.js';
import { parseProbe, type ProbeSpec } from '../probes/specs.js';
import { compileProtect, readConfig } from './config.js';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_MAX_HOLD_MS,
  MIN_GRACE_MS,
  type WatchdogPlan,
} from '../chaos/watchdogs.js';

/** The flags that shape a run (as meow parses them). */
export interface SessionFlags {
  /** --host, given once or more (the first is connected to, the others followed). */
  host?: string | string[];
  context?: string;
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  node: string[];
  protect: string[];
  audit?: string;
  config?: string;
  probe: string[];
  probeInterval: string;
  probeTimeout: string;
  /** restore --from: a ledger file other than the state directory's. */
  from?: string;
  /** The game-day journal to append to. */
  journal?: string;
  /** Reach nodes without an endpoint through helper tasks (--helpers); false: --no-helpers. */
  helpers?: boolean;
  helperImage?: string;
  helperSocket?: string;
  /** The directory the console's `R` lists. */
  experiments?: string;
  /** --no-watchdog: faults end only while chaosdeck runs. */
  watchdog?: boolean;
  watchdogImage?: string;
  /** An untimed fault's grace after its holder goes silent. */
  holderGrace?: string;
  /** The longest a command's untimed fault stays active. */
  maxHold?: string;
}

/** The image watchdogs run when none is named: chaosdeck's own (`docker build -t chaosdeck .`). */
export const DEFAULT_WATCHDOG_IMAGE = 'chaosdeck:latest';

/** The image helpers run when none is named: the docker CLI, as published by Docker. */
export const DEFAULT_HELPER_IMAGE = 'docker:cli';

/** Everything the entry needs from flags, config file and environment. */
export interface Settings {
  endpoint: Endpoint;
  /** Other managers: the swarm is followed through them while `endpoint` cannot serve it. */
  managers: Endpoint[];
  /** The docker context the endpoint came from, when one was named (shown in the header). */
  context?: string;
  nodes: Map<string, Endpoint>;
  protect: RegExp[];
  auditFile: string;
  ledgerFile: string;
  /** Where this run's journal goes. */
  journalFile: string;
  /** The state directory (journals live under it). */
  stateDir: string;
  probes: ProbeSpec[];
  probeIntervalMs: number;
  probeTimeoutMs: number;
  /** Nodes without an endpoint are reached through Swarm helper tasks (off unless asked for). */
  helpers?: HelperOptions;
  /** Helpers the console may offer when a fault key meets such a node (none with --no-helpers). */
  offerHelpers?: HelperOptions;
  /** The directory of experiments the console's `R` lists. */
  experimentsDir: string;
  /**
   * The cluster's watchdogs (none with --no-watchdog or --no-helpers); maxHoldMs is for runs that
   * leave untimed faults on purpose (commands), the grace for the others.
   */
  watchdog?: WatchdogPlan & { maxHoldMs: number };
}

function duration(flag: string, text: string): number {
  const ms = readDuration(text, '1s, 500ms, 2m');
  if (typeof ms !== 'number') throw new Error(`${flag}: ${ms.error}`);
  return ms;
}

/** Merges flags over the config file; throws with a message for the user on anything malformed. */
export function readSettings(
  flags: SessionFlags,
  env: Record<string, string | undefined>,
): Settings {
  const config = readConfig(flags.config, env);
  const nodeFlags = [
    ...Object.entries(config.nodes ?? {}).map(([k, v]) => `${k}=${v}`),
    ...flags.node,
  ];
  const dir = stateDir(env);
  const flagHosts = [flags.host ?? []].flat();
  const configHosts = [config.host ?? []].flat();
  const connect = {
    ...flags,
    host: flagHosts[0],
    ...(configHosts[0] ? { configHost: configHosts[0] } : {}),
  };
  const { endpoint, context } = resolveConnection(connect, env);
  // The config file's list when its first is the one connected to (no --host, no --context).
  const hosts = flagHosts.length > 0 ? flagHosts : flags.context ? [] : configHosts;
  for (const [flag, value] of [
    ['--helper-image', flags.helperImage],
    ['--helper-socket', flags.helperSocket],
  ] as const)
    if (value !== undefined && value.trim() === '')
      throw new Error(`${flag} needs a value (e.g. --helper-image docker:cli)`);
  return {
    endpoint,
    managers: otherManagers(hosts, connect, env),
    ...(context ? { context } : {}),
    nodes: parseNodeFlags(nodeFlags),
    protect: compileProtect([...(config.protect ?? []), ...flags.protect]),
    auditFile: flags.audit ?? config.audit ?? join(dir, 'audit.log'),
    ledgerFile: flags.from ?? join(dir, 'ledger.json'),
    journalFile: flags.journal ?? defaultJournalFile(dir),
    stateDir: dir,
    probes: flags.probe.map(parseProbe),
    probeIntervalMs: duration('--probe-interval', flags.probeInterval),
    probeTimeoutMs: duration('--probe-timeout', flags.probeTimeout),
    experimentsDir: flags.experiments ?? 'experiments',
    ...helperSettings(flags, config.helpers, env.CHAOSDECK_HELPER_IMAGE),
    ...watchdogSettings(flags, config.helpers, env),
  };
}

/**
 * Watchdogs are on unless --no-watchdog or --no-helpers (a watchdog is a helper: it mounts a
 * manager's Docker socket, and reaches other nodes through helpers at the undo).
 */
function watchdogSettings(
  flags: SessionFlags,
  helpers: { image?: string; socket?: string } | undefined,
  env: Record<string, string | undefined>,
): Pick<Settings, 'watchdog'> {
  if (flags.watchdogImage !== undefined && flags.watchdogImage.trim() === '')
    throw new Error('--watchdog-image needs a value (e.g. --watchdog-image chaosdeck:latest)');
  const graceMs =
    flags.holderGrace === undefined
      ? DEFAULT_GRACE_MS
      : duration('--holder-grace', flags.holderGrace);
  if (graceMs < MIN_GRACE_MS)
    throw new Error(
      `--holder-grace ${flags.holderGrace}: at least ${MIN_GRACE_MS / 1000}s (a holder says it is alive every 10 s)`,
    );
  const maxHoldMs =
    flags.maxHold === undefined ? DEFAULT_MAX_HOLD_MS : duration('--max-hold', flags.maxHold);
  if (flags.watchdog === false || flags.helpers === false) return {};
  return {
    watchdog: {
      image:
        flags.watchdogImage ?? (env.CHAOSDECK_WATCHDOG_IMAGE?.trim() || DEFAULT_WATCHDOG_IMAGE),
      socket: flags.helperSocket ?? helpers?.socket ?? '/var/run/docker.sock',
      helperImage:
        flags.helperImage ??
        helpers?.image ??
        (env.CHAOSDECK_HELPER_IMAGE?.trim() || DEFAULT_HELPER_IMAGE),
      helperSocket: flags.helperSocket ?? helpers?.socket ?? '/var/run/docker.sock',
      graceMs,
      maxHoldMs,
    },
  };
}

/**
 * --helpers (or naming their image or socket, or "helpers" in the config file) turns helpers on;
 * --no-helpers turns them and the console's offer off; neither: the console may offer them.
 */
function helperSettings(
  flags: SessionFlags,
  config: { image?: string; socket?: string } | undefined,
  // CHAOSDECK_HELPER_IMAGE: the image when none is named (a swarm that cannot pull docker:cli).
  envImage: string | undefined,
): Pick<Settings, 'helpers' | 'offerHelpers'> {
  const options = {
    image: flags.helperImage ?? config?.image ?? (envImage?.trim() || DEFAULT_HELPER_IMAGE),
    socket: flags.helperSocket ?? config?.socket ?? '/var/run/docker.sock',
  };
  if (flags.helperImage !== undefined || flags.helperSocket !== undefined)
    return { helpers: options };
  if (flags.helpers === false) return {};
  if (flags.helpers || config) return { helpers: options };
  return { offerHelpers: options };
}
