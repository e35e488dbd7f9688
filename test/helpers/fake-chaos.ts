import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../source/chaos/audit.js';
import { ChaosController, type ChaosOptions } from '../../source/chaos/controller.js';
import { Ledger } from '../../source/chaos/ledger.js';
import type { FaultPorts } from '../../source/faults/fault-ports.js';
import type { FaultTarget } from '../../source/domain/fault.js';
import { EngineError } from '../../source/docker/errors.js';
import type { ContainerPort, ContainerResources, SwarmPort } from '../../source/docker/port.js';

/** A task's container on node n1, as fault tests aim at it. */
export const target: FaultTarget = {
  serviceId: 's',
  serviceName: 'web',
  taskId: 't1',
  slotName: 'web.1',
  containerId: 'c1',
  nodeId: 'n1',
  nodeName: 'vm',
};

/** A container engine in memory: enough to see what the controller does and in which order. */
export function fakePorts(log: string[], failUnpause = false) {
  const containers = new Map<string, ContainerResources>([
    [
      'c1',
      {
        cpu: { nanoCpus: 5e8, cpuQuota: 0, cpuPeriod: 0 },
        memory: { memory: 128 << 20, memorySwap: 256 << 20 },
        running: true,
        paused: false,
        labels: {},
      },
    ],
  ]);
  const port: Partial<ContainerPort> = {
    endpoint: 'fake',
    inspectResources: async (id) => containers.get(id),
    hostResources: async () => ({ cpus: 2, memoryBytes: 1 << 30 }),
    memoryUsage: async () => 1 << 20,
    pause: async (id) => {
      log.push(`pause ${id}`);
      containers.get(id)!.paused = true;
    },
    unpause: async (id) => {
      log.push(`unpause ${id}`);
      if (failUnpause) throw new EngineError('engine', 'daemon said no');
      containers.get(id)!.paused = false;
    },
    updateCpu: async (id, l) => {
      log.push(`cpu ${id} ${JSON.stringify(l)}`);
      Object.assign(containers.get(id)!.cpu, l);
    },
    kill: async (id, s) => void log.push(`kill ${id} ${s}`),
  };
  const ports: FaultPorts = {
    swarm: {} as SwarmPort,
    containerPort: (n) => (n === 'n1' ? (port as ContainerPort) : undefined),
  };
  return { ports, containers, port: port as ContainerPort };
}

/** A controller over the fake engine, with a fresh ledger and audit log in a temp dir. */
export function controllerSetup(failUnpause = false, extra: Partial<ChaosOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-'));
  const log: string[] = [];
  const ledger = new Ledger(join(dir, 'ledger.json'));
  const audit = new AuditLog(join(dir, 'audit.log'));
  const { ports, containers, port } = fakePorts(log, failUnpause);
  const chaos = new ChaosController({ ...ports, ledger, audit, dryRun: false, ...extra });
  return { dir, log, ledger, chaos, containers, ports, port };
}
