import { describe, expect, it } from 'vitest';
import { cgroupPathOf } from '../../source/docker/net-exec.js';
import type {
  ContainerPort,
  ContainerResources,
  HostResources,
  SidecarSpec,
  SwarmPort,
} from '../../source/docker/port.js';
import type { FaultPorts } from '../../source/faults/fault-ports.js';
import { faultModule } from '../../source/faults/registry.js';
import { burnerScript } from '../../source/faults/stress.js';
import { target } from '../helpers/fake-chaos.js';

const stress = faultModule('stress');

/** A node's engine that keeps sidecars in a map: enough to see what stress starts and removes. */
function engine(opts: { nanoCpus?: number; host?: Partial<HostResources>; cgroup?: string } = {}) {
  const sidecars = new Map<string, SidecarSpec>();
  const res: ContainerResources = {
    cpu: { nanoCpus: opts.nanoCpus ?? 5e8, cpuQuota: 0, cpuPeriod: 0 },
    memory: { memory: 128 << 20, memorySwap: 256 << 20 },
    running: true,
    paused: false,
    labels: {},
    image: 'sha256:abc',
  };
  const port: Partial<ContainerPort> = {
    endpoint: 'fake',
    inspectResources: async () => res,
    hostResources: async () => ({ cpus: 4, memoryBytes: 1 << 30, ...opts.host }),
    cgroupPath: async (id) => opts.cgroup ?? `/docker/${id}`,
    startSidecar: async (spec) => {
      sidecars.set(spec.name, spec);
      return `id-${spec.name}`;
    },
    removeContainer: async (name) => sidecars.delete(name),
  };
  const ports: FaultPorts = { swarm: {} as SwarmPort, containerPort: () => port as ContainerPort };
  return { sidecars, ports, res };
}

describe('the stress fault', () => {
  it('starts the burner as a child of the task cgroup, with its limits untouched; the undo removes it', async () => {
    const e = engine();
    const change = await stress.prepare(target, { workers: '', duration: '30s' }, e.ports);
    expect(e.sidecars.size).toBe(0);
    await change.apply();
    const [spec] = [...e.sidecars.values()];
    expect(spec).toMatchObject({ cgroupParent: '/docker/c1', image: 'sha256:abc' });
    expect(spec!.labels).toEqual({ 'chaosdeck.stress.target': 'c1' });
    // A 0.5 CPU limit: one busy loop reaches it; the window ends the burner by itself.
    expect(spec!.script).toBe(burnerScript(1, 0, 30));
    expect(change.params).toEqual({ workers: 1 });
    expect(await stress.undo(change.undo, e.ports, 'vm')).toBe('done');
    expect(e.sidecars.size).toBe(0);
    // The burner already gone (its window ended it): still done.
    expect(await stress.undo(change.undo, e.ports, 'vm')).toBe('done');
    expect(stress.undoSchema.safeParse(change.undo).success).toBe(true);
  });

  it.each([
    ['an unlimited task: as many workers as the node has CPUs', { nanoCpus: 0 }, {}, 4],
    ['1.5 CPUs: two workers', { nanoCpus: 1.5e9 }, {}, 2],
    ['workers given', {}, { workers: '3' }, 3],
  ])('%s', async (_name, opts, params, workers) => {
    const e = engine(opts);
    const change = await stress.prepare(target, params, e.ports);
    expect(change.params.workers).toBe(workers);
  });

  it.each([
    ['a systemd node', { host: { cgroupDriver: 'systemd' } }, {}, /systemd cgroup driver/],
    ['a systemd scope', { cgroup: '/system.slice/docker-c1.scope' }, {}, /systemd cgroup driver/],
    ['workers 0', {}, { workers: '0' }, /whole number from 1 to 64/],
    ['a bad memory size', {}, { vmBytes: 'lots' }, /lots/],
  ])('refuses %s, starting nothing', async (_name, opts, params, message) => {
    const e = engine(opts);
    await expect(stress.prepare(target, params, e.ports)).rejects.toThrow(message);
    expect(e.sidecars.size).toBe(0);
  });

  it.each([
    [
      1,
      0,
      5,
      'w=1; while [ $w -gt 0 ]; do (while :; do :; done) & w=$((w-1)); done\nsleep 5; kill 0; exit 0',
    ],
    [
      2,
      1024,
      undefined,
      "w=2; while [ $w -gt 0 ]; do (while :; do :; done) & w=$((w-1)); done\n(x=$(head -c 1024 /dev/zero | tr '\\0' x); while :; do sleep 3600; done) &\nwait",
    ],
  ])('the burner script: %i workers, %i bytes, %s s', (workers, bytes, seconds, script) => {
    expect(burnerScript(workers, bytes, seconds)).toBe(script);
  });

  it.each([
    [
      'cgroup v1',
      '12:pids:/docker/x\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n',
      '/docker/abc',
    ],
    ['a daemon cgroup parent', '1:cpu:/chaosdeck-labw1/abc\n', '/chaosdeck-labw1/abc'],
    ['cgroup v2', '0::/system.slice/docker-abc.scope\n', '/system.slice/docker-abc.scope'],
    ['nothing readable', 'garbage', undefined],
  ])('reads the cgroup of %s', (_name, text, path) => {
    expect(cgroupPathOf(text)).toBe(path);
  });
});
