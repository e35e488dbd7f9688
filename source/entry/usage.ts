/** The text of --help. */
export const USAGE = `
  Usage
    $ chaosdeck [options]          the live console (needs a terminal)
    $ chaosdeck status [options]   print services and their tasks once, then exit
    $ chaosdeck restore [options]  undo faults a chaosdeck that died left active; exit 1 if any undo fails
    $ chaosdeck restore --from FILE  the same from another ledger file (a repaired copy)

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
`;
