import type Dockerode from 'dockerode';
import type { CutterSpec, CutterTask } from './port.js';
import { HELPER_LABEL } from './swarm-helper.js';
import { oneTaskStatus, removeNamedService } from './one-task-service.js';

/** The label on a partition's cutter service (its value: the fault's id). */
export const CUTTER_LABEL = 'chaosdeck.cutter';

/** How long the renewal after a heal may take at most (waits of 60 s and 20 s, and slack). */
const RENEW_GRACE_SEC = 100;

/** A cutter's service name: one per partition. */
export function cutterName(faultId: string): string {
  return `chaosdeck-cut-${faultId}`;
}

/**
 * The renewal after a heal (shell, part of the cutter's script). Swarm's log broker keeps one
 * entry per node, made when a session starts listening and deleted when any session of the node
 * ends; the cut-off session ends on the manager only when a packet of it gets through after the
 * heal, often after the node's new session began, and the node is then "not available" to every
 * `docker service logs` until its next session. So, in order:
 * 1. the node's own ends of the old sessions, still sending their FIN, are waited out;
 * 2. an old session the node has already dropped gets one SYN from its port: the manager's stale
 *    end answers with a challenge ACK, which this kernel answers with the RST that ends it
 *    (RFC 5961);
 * 3. the sessions open now are reset once from the manager's side (a REJECT on their port): the
 *    node's next registration comes after every stale end. The node stays ready (a few seconds,
 *    well inside Swarm's heartbeat grace).
 */
const RENEW = `
renew() {
  phase=renew
  limit=$(( $(now) + 60 ))
  for t in $OLD; do
    p=\${t%%:*}; ip=\${t#*:}
    while sessions | grep -qE "^$p $ip (FIN_WAIT1|CLOSING|LAST_ACK)$" && [ "$(now)" -lt "$limit" ]; do sleep 1; done
    sessions | grep -q "^$p $ip " || timeout 3 nc -w 2 -p "$p" "$ip" 2377 </dev/null >/dev/null 2>&1 || true
  done
  sleep 1
  cur=$(established)
  for t in $cur; do
    p=\${t%%:*}; ip=\${t#*:}
    iptables -I INPUT -p tcp -s "$ip" --sport 2377 --dport "$p" -m time --datestop "$RENEW_STOP" -m comment --comment "$RTAG" -j REJECT --reject-with tcp-reset || true
  done
  limit=$(( $(now) + 20 ))
  for t in $cur; do
    while established | grep -qxF "$t" && [ "$(now)" -lt "$limit" ]; do sleep 1; done
  done
  clean_tag "$RTAG"
  echo "session renewed at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
`;

/**
 * The cutter's script (busybox sh, iptables, netstat, nc). Every cut rule carries the fault's
 * tag and `-m time --datestop`: at the window's end the kernel stops applying them whatever
 * became of the script, the node's engine or chaosdeck; the script then removes them. Started
 * again (a restart, the node's engine back) it removes what an earlier start left, and past the
 * window's end does nothing else.
 *
 * After the heal it renews the node's session with its managers (see RENEW below): Swarm's log
 * broker forgets a node whose cut-off session ends on the manager after its new one began, and
 * `docker service logs` (chaosdeck's helpers too) then says "node … is not available" for good.
 */
export const CUTTER_SCRIPT = `
set -u
RTAG=chaosdeck-renew-\${TAG#chaosdeck-cut-}
phase=cut
clean_tag() {
  iptables -S | grep -F -- "--comment $1 " | sed 's/^-A /-D /' | while read -r rule; do
    eval "iptables $rule" || true
  done
}
clean() { clean_tag "$TAG"; }
rules() {
  for ip in $PEERS; do
    for way in "INPUT -s $ip" "OUTPUT -d $ip"; do
      for p in $PORTS; do
        proto=\${p%%:*}; ports=\${p#*:}
        iptables -A $way -p "$proto" -m multiport --ports "$ports" -m time --datestop "$STOP" -m comment --comment "$TAG" -j DROP || return 1
      done
    done
  done
}
# The node's TCP sessions with its managers (port 2377): "local-port manager state" lines.
sessions() {
  netstat -tn 2>/dev/null | awk -v peers=" $PEERS " '$1 == "tcp" {
    split($4, l, ":"); split($5, r, ":")
    if (r[2] == "2377" && index(peers, " " r[1] " ")) print l[2], r[1], $6 }'
}
established() { sessions | awk '$3 == "ESTABLISHED" { print $1 ":" $2 }'; }
now() { date +%s; }
${RENEW}
on_term() {
  # Past the heal the renewal goes on (the service's stop grace leaves it the time).
  [ "$phase" = renew ] && return 0
  clean; renew
  echo "healed early at $(date -u +%Y-%m-%dT%H:%M:%SZ)"; exit 0
}
clean; clean_tag "$RTAG"
start=$(now)
if [ "$start" -ge "$END" ]; then echo "window over at start: nothing to cut"; exit 0; fi
OLD=$(established)
trap on_term TERM INT
rules || { clean; echo "could not add the rules" >&2; exit 1; }
echo "cut at $(date -u +%Y-%m-%dT%H:%M:%SZ) until $STOP"
sleep $((END - start)) &
wait $!
clean
echo "healed at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
renew
`;

/**
 * Creates a partition's cutter: one task on the node, in the node's own network namespace
 * (host networking) with NET_ADMIN, restart none (a cut-off node cannot be told to restart it;
 * the kernel ends the rules on time regardless).
 */
export async function createCutter(
  docker: Dockerode,
  spec: CutterSpec,
  image: string,
): Promise<void> {
  const stop = new Date(spec.endsAtSec * 1000).toISOString().slice(0, 19);
  // The renewal's own rule, should the script die holding it: ended by the kernel too.
  const renewStop = new Date((spec.endsAtSec + RENEW_GRACE_SEC) * 1000).toISOString().slice(0, 19);
  await docker.createService({
    Name: cutterName(spec.faultId),
    Labels: { [HELPER_LABEL]: 'true', [CUTTER_LABEL]: spec.faultId },
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Command: ['sh', '-c', CUTTER_SCRIPT],
        Env: [
          `END=${spec.endsAtSec}`,
          `STOP=${stop}`,
          `TAG=${cutterName(spec.faultId)}`,
          `PEERS=${spec.peers.join(' ')}`,
          `PORTS=${spec.ports.join(' ')}`,
          `RENEW_STOP=${renewStop}`,
        ],
        Labels: { [CUTTER_LABEL]: spec.faultId },
        CapabilityAdd: ['CAP_NET_ADMIN'],
        // Removed at the window's end, the cutter still renews the node's session (TERM).
        StopGracePeriod: RENEW_GRACE_SEC * 1e9,
      },
      Networks: [{ Target: 'host' }],
      Placement: { Constraints: [`node.id==${spec.nodeId}`] },
      RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
      Resources: { Limits: { MemoryBytes: 32 * 1024 * 1024 } },
    },
    Mode: { Replicated: { Replicas: 1 } },
  } as Dockerode.CreateServiceOptions);
}

/** Removes a partition's cutter; false when there was none. */
export function removeCutter(docker: Dockerode, faultId: string): Promise<boolean> {
  return removeNamedService(docker, cutterName(faultId));
}

/** The cutter's task as Swarm last heard of it (undefined before it was scheduled). */
export async function cutterTask(
  docker: Dockerode,
  faultId: string,
): Promise<CutterTask | undefined> {
  const status = await oneTaskStatus(docker, cutterName(faultId));
  if (!status) return undefined;
  return {
    state: status.state,
    since: status.timestamp ? Date.parse(status.timestamp) : Date.now(),
    ...(status.error ? { error: status.error } : {}),
  };
}
