import type Dockerode from 'dockerode';
import type { CutterSpec, CutterTask } from './port.js';
import { HELPER_LABEL } from './swarm-helper.js';
import { oneTaskStatus, removeNamedService } from './one-task-service.js';

/** The label on a partition's cutter service (its value: the fault's id). */
export const CUTTER_LABEL = 'chaosdeck.cutter';

/** A cutter's service name: one per partition. */
export function cutterName(faultId: string): string {
  return `chaosdeck-cut-${faultId}`;
}

/**
 * The cutter's script (busybox sh and iptables). Every rule it adds carries the fault's tag and
 * `-m time --datestop`: at the window's end the kernel stops applying them whatever became of
 * the script, the node's engine or chaosdeck; the script then removes them. Started again (a
 * restart, the node's engine back) it removes what an earlier start left, and past the window's
 * end does nothing else.
 */
export const CUTTER_SCRIPT = `
set -u
clean() {
  iptables -S | grep -F -- "--comment $TAG " | sed 's/^-A /-D /' | while read -r rule; do
    eval "iptables $rule" || true
  done
}
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
clean
now=$(date +%s)
if [ "$now" -ge "$END" ]; then echo "window over at start: nothing to cut"; exit 0; fi
trap 'clean; echo "healed early at $(date -u +%Y-%m-%dT%H:%M:%SZ)"; exit 0' TERM INT
rules || { clean; echo "could not add the rules" >&2; exit 1; }
echo "cut at $(date -u +%Y-%m-%dT%H:%M:%SZ) until $STOP"
sleep $((END - now)) &
wait $!
clean
echo "healed at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
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
        ],
        Labels: { [CUTTER_LABEL]: spec.faultId },
        CapabilityAdd: ['CAP_NET_ADMIN'],
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
