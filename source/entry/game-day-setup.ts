import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuditLog, currentUser, type AuditEntry } from '../chaos/audit.js';
import { ClusterLedger } from '../chaos/cluster-ledger.js';
import type { Ledger } from '../chaos/ledger.js';
import type { DockerEngine } from '../docker/client.js';
import { NodeEngines } from '../docker/node-engines.js';
import type { HelperOptions } from '../docker/swarm-helper.js';
import type { EngineInfo, SwarmNode } from '../domain/types.js';
import { GameDay } from '../game-day/game-day.js';
import { Watchdogs } from '../chaos/watchdogs.js';
import { Journal } from '../game-day/journal.js';
import { packageVersion } from './package-info.js';
import { selfContainerId } from './self.js';
import type { Settings } from './settings.js';

/** What a game day is built from: the connected manager, settings and the entry's choices. */
export interface GameDayParts {
  engine: DockerEngine;
  info: EngineInfo;
  config: Settings;
  ledger: Ledger;
  dryRun: boolean;
  readOnly: boolean;
  tcImage: string;
  /**
   * Follow live health, usage and logs of helper-reached nodes with long-running helpers (the
   * console, which must close the engines); commands inspect once.
   */
  followHelpers?: boolean;
  /** Node names for --node endpoints (the console keeps them fresh from its store). */
  hostnameOf?: (nodeId: string) => string | undefined;
  /** Every audit entry, for the console's activity pane. */
  onAudit?: (entry: AuditEntry) => void;
  /**
   * A journal, or a ledger status after a change, that cannot be written (the record is
   * incomplete, or the disk is full: say so).
   */
  onWriteError: (message: string) => void;
  /**
   * The run leaves untimed faults active on purpose (a fault command without --for): the ledger
   * holds them, and their watchdog ends them after --max-hold rather than a silent holder's grace.
   */
  leavesFaults?: boolean;
  /** No watchdogs (status, and the watchdog itself). */
  noWatchdogs?: boolean;
  /** Who claims undos here, when not user@host (a watchdog: watchdog@NODE). */
  owner?: string;
}

/** Wires the real clients into one game day. */
export function createGameDay(parts: GameDayParts): {
  gameDay: GameDay;
  /** Tells the node engines the node names (a command's one list call). */
  setNodes: (list: SwarmNode[]) => void;
  /** The engine of each node (reach: which nodes answer). */
  engines: NodeEngines;
  /** Turns Swarm helpers on mid-game day (when they may be offered: neither --helpers nor --no-helpers). */
  enableHelpers?: () => void;
  /** The watchdogs this run arms (none with --no-watchdog, --no-helpers, --dry-run). */
  watchdogs?: Watchdogs;
} {
  const { engine, info, config } = parts;
  let nodes: SwarmNode[] = [];
  const hostnameOf = parts.hostnameOf ?? ((id: string) => nodes.find((n) => n.id === id)?.hostname);
  // nsenter reaches containers of engines on this machine, only as root, and not from inside a
  // container (a pid namespace of its own, no nsenter there): then the helper container it is.
  const self = selfContainerId();
  const net = { tcImage: parts.tcImage, nsenter: process.getuid?.() === 0 && !self };
  engine.net = { ...net, nsenter: net.nsenter && config.endpoint.kind === 'unix' };
  const withManager = (options: HelperOptions) => ({
    ...options,
    manager: engine,
    follow: parts.followHelpers === true,
  });
  const helpers = config.helpers ? withManager(config.helpers) : undefined;
  const engines = new NodeEngines(engine, info.nodeId, config.nodes, hostnameOf, net, helpers);
  parts.ledger.onReserveUsed = parts.onWriteError;
  const plan = config.watchdog;
  const watchdogs =
    plan && !parts.noWatchdogs && !parts.dryRun && !parts.readOnly
      ? new Watchdogs(
          engine,
          {
            ...plan,
            tcImage: parts.tcImage,
            ...(parts.leavesFaults ? {} : { maxHoldMs: undefined }),
          },
          parts.onWriteError,
        )
      : undefined;
  const gameDay = new GameDay({
    swarm: engine,
    containerPort: (id) => engines.forNode(id),
    ledger: parts.ledger,
    cluster: new ClusterLedger(engine, parts.owner ?? `${currentUser()}@${hostname()}`),
    ...(watchdogs ? { watchdogs } : {}),
    audit: new AuditLog(config.auditFile, parts.onAudit),
    journal: new Journal(config.journalFile, randomUUID(), parts.onWriteError),
    guards: {
      protect: config.protect,
      readOnly: parts.readOnly,
      ...(self ? { selfContainerId: self } : {}),
    },
    dryRun: parts.dryRun,
    version: packageVersion(),
    warn: parts.onWriteError,
  });
  // The journal says when the swarm was followed through another manager, and back (the report).
  engine.onManagerSwitch((s) => gameDay.managerSwitched(s));
  const offer = config.offerHelpers;
  return {
    gameDay,
    setNodes: (list) => (nodes = list),
    engines,
    ...(watchdogs ? { watchdogs } : {}),
    ...(offer
      ? {
          enableHelpers: () => engines.enableHelpers(withManager(offer)),
        }
      : {}),
  };
}
