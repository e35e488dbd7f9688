import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../source/chaos/audit.js';
import { ChaosController } from '../../source/chaos/controller.js';
import { Ledger } from '../../source/chaos/ledger.js';
import type { DockerEngine } from '../../source/docker/client.js';
import { NodeEngines } from '../../source/docker/node-engines.js';
import { parseNodeFlags } from '../../source/docker/endpoint.js';
import type { FaultTarget } from '../../source/domain/fault.js';
import { GameDay } from '../../source/game-day/game-day.js';
import { Journal } from '../../source/game-day/journal.js';
import { createService, docker, waitFor } from './lab.js';

/** The lab worker's engine socket (as scripts/lab.sh starts it). */
export const LABW1 = 'unix:///run/chaosdeck-lab/labw1.sock';
/** The second worker's engine socket (the test lab has two workers). */
export const LABW2 = 'unix:///run/chaosdeck-lab/labw2.sock';

/** A controller on the real lab with a fresh ledger and audit log. */
export async function labChaos(engine: DockerEngine) {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-it-'));
  const info = await engine.info();
  const nodes = await engine.listNodes();
  const engines = new NodeEngines(
    engine,
    info.nodeId,
    parseNodeFlags([`labw1=${LABW1}`]),
    (id) => nodes.find((n) => n.id === id)?.hostname,
  );
  const ledger = new Ledger(join(dir, 'ledger.json'));
  const chaos = new ChaosController({
    swarm: engine,
    containerPort: (id) => engines.forNode(id),
    ledger,
    audit: new AuditLog(join(dir, 'audit.log')),
    dryRun: false,
  });
  return { chaos, ledger, dir, nodes, engines };
}

/** A game-day session core on the real lab, with its own ledger, audit log and journal. */
export async function labSession(engine: DockerEngine) {
  const { dir, engines } = await labChaos(engine);
  const journalFile = join(dir, 'journal.jsonl');
  const session = new GameDay({
    swarm: engine,
    containerPort: (id) => engines.forNode(id),
    ledger: new Ledger(join(dir, 'ledger.json')),
    audit: new AuditLog(join(dir, 'audit.log')),
    journal: new Journal(journalFile, 'test'),
    guards: { protect: [], readOnly: false },
    dryRun: false,
    version: 'test',
  });
  return { session, dir, journalFile };
}

/** The fault target for a service's running task (optionally on a given node); waits for one. */
export function targetOf(serviceName: string, nodeName?: string): Promise<FaultTarget> {
  return waitFor(
    `a running task of ${serviceName}${nodeName ? ` on ${nodeName}` : ''}`,
    () => findTarget(serviceName, nodeName).catch(() => undefined),
    60_000,
    250,
  );
}

async function findTarget(serviceName: string, nodeName?: string): Promise<FaultTarget> {
  const lines = await docker([
    'service',
    'ps',
    serviceName,
    '--no-trunc',
    '--filter',
    'desired-state=running',
    '--format',
    '{{.ID}} {{.Node}} {{.Name}}',
  ]);
  for (const line of lines.split('\n')) {
    const [taskId, node, name] = line.split(' ');
    if (nodeName && node !== nodeName) continue;
    const info = await docker([
      'inspect',
      '--format',
      '{{.Status.State}} {{.Status.ContainerStatus.ContainerID}} {{.ServiceID}} {{.NodeID}}',
      taskId!,
    ]);
    const [state, containerId, serviceId, nodeId] = info.split(' ');
    if (state !== 'running') continue;
    return {
      serviceId: serviceId!,
      serviceName,
      taskId: taskId!,
      slotName: name!,
      containerId: containerId!,
      nodeId: nodeId!,
      nodeName: node!,
    };
  }
  throw new Error(`no running task of ${serviceName}${nodeName ? ` on ${nodeName}` : ''}`);
}

/** A service (made anew) on `node` printing "tick N" five times a second; waits for its task. */
export async function createTalker(name: string, node: string): Promise<FaultTarget> {
  await docker(['service', 'rm', name]).catch(() => undefined);
  await createService(
    name,
    ['--constraint', `node.hostname==${node}`],
    ['sh', '-c', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done'],
  );
  return targetOf(name, node);
}

/** docker inspect of a container on the manager (or another engine), one Go template. */
export function inspectContainer(id: string, format: string, host?: string): Promise<string> {
  return docker(['inspect', '--format', format, id], host);
}
