import { FAULT_KINDS, FAULTS } from '../faults/registry.js';

/** Each fault flag once, with the kinds that take it: "--scope …  cpu/memory: in place …". */
function faultFlagLines(): string {
  const seen = new Map<string, { usage: string; help: string; kinds: string[] }>();
  for (const f of FAULTS)
    for (const flag of f.flags) {
      const line = seen.get(flag.name) ?? { usage: flag.usage, help: flag.help, kinds: [] };
      line.kinds.push(f.kind);
      seen.set(flag.name, line);
    }
  return [...seen.values()]
    .map((l) => {
      // A long usage takes its own line; the help goes under, in the help column.
      const head = l.usage.length > 20 ? `${l.usage}\n${' '.repeat(25)}` : l.usage.padEnd(21);
      return `    ${head}${l.kinds.join('/')}: ${l.help}`;
    })
    .join('\n');
}

/** The text of --help. */
export const USAGE = `
  Usage
    $ chaosdeck [options]          the live console (needs a terminal)
    $ chaosdeck status [--json] [--service NAME]
                                   services, tasks, health and active faults, once
    $ chaosdeck ${FAULT_KINDS.join('|')} TARGET [fault options]
                                   one fault from a script, through the same guards and ledger
    $ chaosdeck undo [FAULT-ID|TARGET] [--force]
                                   undo faults a finished command (or a dead chaosdeck) left active;
                                   another machine's, named, once its holder is silent 30 s
                                   (--force: even while it is alive)
    $ chaosdeck restore [--from FILE]
                                   undo every fault a chaosdeck that stopped left active
    $ chaosdeck report [JOURNAL] [--format md|json] [-o FILE]
                                   the game-day write-up from a journal (default: the latest)
    $ chaosdeck version [--json]   this client's version and the engine's (API agreed)
    $ chaosdeck run EXPERIMENT [--validate] [--dry-run] [--json]
                                   a Chaos Toolkit experiment (JSON or YAML): hypothesis, method,
                                   hypothesis again, rollbacks; every fault undone, even on
                                   INT/TERM/HUP. --validate checks the file only. Exit codes:
                                   0 held, 1 deviated or failed, 2 invalid file, 3 interrupted

  TARGET
    SERVICE              a random running task of it        SERVICE.SLOT   that slot's task
    TASK-ID, CONTAINER-ID  a unique prefix                  re:REGEX       tasks of matching services
    --random             pick at random among the matches (one, or --limit N)
    --limit N            at most N targets

  Fault options
${faultFlagLines()}
    --for D              hold the fault for D, then undo it (stays in the foreground)
    --wait-recovery      wait until the service has converged; print the recovery phases
    --timeout D          give up waiting after D (default 2m): exit 3
    --every D --times N  repeat the fault N times, one every D
    --force-last         with --yes: allow taking down the last (healthy) replica
    --json               print one JSON document instead of lines
    Exit codes: 0 done (and recovered), 1 failed or refused, 2 bad usage, 3 not recovered in time

  Options
    --host, -H URL       Docker endpoint of a swarm manager: unix:///path, tcp://host:2376
                         or ssh://[user@]host (the system ssh: keys, ~/.ssh/config aliases).
                         Given more than once: the other managers, which chaosdeck follows the
                         swarm through while the first is cut off (and back)
    --context, -c NAME   a docker context (docker context ls). Without either, like the docker
                         CLI: $DOCKER_HOST, $DOCKER_CONTEXT, the current context, else
                         unix:///var/run/docker.sock
    --tlsverify          TLS checking the engine's certificate (or DOCKER_TLS_VERIFY=1);
                         --tls without checking; files from DOCKER_CERT_PATH or ~/.docker,
                         or --tlscacert FILE --tlscert FILE --tlskey FILE
    --node NAME=URL      Docker endpoint of another node, for faults and health of its tasks
                         (repeatable), e.g. --node labw1=unix:///run/chaosdeck-lab/labw1.sock
    --yes, -y            no y/n confirmation before a fault (typing a service name for its
                         last replica is still asked)
    --protect REGEX      services whose name matches cannot be targeted (repeatable);
                         the label chaosdeck.protect=true does the same
    --read-only          no fault keys at all (observers)
    --dry-run            show and log every fault as it would happen; change nothing
    --journal FILE       the game-day journal (JSON lines, appended); default
                         $XDG_STATE_HOME/chaosdeck/journal/<start-time>.jsonl
    --audit FILE         audit log (JSON lines); default $XDG_STATE_HOME/chaosdeck/audit.log
    --config FILE        JSON config {host, nodes:{name:url}, protect:[], audit,
                         helpers:{image, socket}};
                         default $XDG_CONFIG_HOME/chaosdeck/config.json when present
    --probe NAME=URL     time a user action: HTTP GET of URL (fresh connection, like curl);
    --probe NAME=cmd:C   or a shell command (exit 0 = ok); repeatable. Samples are tagged
                         before / during / after the nearest fault window
    --probe-interval D   time between samples of a probe (default 1s)
    --probe-timeout D    a sample taking longer is an error (default 10s)
    --tc-image IMAGE     image with tc and iptables for network windows through a helper container
                         (default ghcr.io/alexei-led/pumba-alpine-nettools:latest); as root on a
                         node, and not inside a container, chaosdeck uses nsenter instead
    --helpers            reach nodes that have no --node endpoint through Swarm: each action
                         is a short-lived task on that node (node.id constraint, restart none)
                         running the docker CLI against the node's Docker socket, then removed;
                         without it the console offers them (y/n, once) at the first fault key
                         on such a node
    --no-helpers         no helpers, and no offer (CHAOSDECK_HELPER_IMAGE names the image
                         helpers run when no flag or config file names one)
    --helper-image IMAGE the helpers' image, with the docker CLI (default docker:cli); implies
                         --helpers, as does --helper-socket
    --helper-socket PATH the Docker socket on the nodes (default /var/run/docker.sock)
    --watchdog-image IMAGE  each fault that leaves something to undo gets a watchdog: a
                         one-task service on a manager running this image (chaosdeck's own;
                         default chaosdeck:latest, or CHAOSDECK_WATCHDOG_IMAGE) with the
                         manager's Docker socket mounted. It undoes the fault when its window
                         ends, when its holder is silent for --holder-grace, or after --max-hold,
                         even with this chaosdeck gone; other nodes through helpers
    --holder-grace D     an untimed fault of a console or experiment whose run goes silent
                         this long is undone by the cluster (default 60s, at least 15s)
    --max-hold D         an untimed fault a command leaves active is undone by the cluster this
                         long after it was applied (default 1h)
    --no-watchdog        no watchdogs: faults end only while chaosdeck runs (--no-helpers too)
    --experiments DIR    the experiments the console's R lists (default ./experiments)
    --no-color           no colour (NO_COLOR=1 does the same)
    --version, --help

  Keys in the console: press ? for the full list. N adds a note to the journal, E writes the report.
`;
