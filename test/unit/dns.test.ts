import { describe, expect, it } from 'vitest';
import type { ContainerPort, ContainerResources, SwarmPort } from '../../source/docker/port.js';
import type { FaultPorts } from '../../source/faults/fault-ports.js';
import { faultModule } from '../../source/faults/registry.js';
import { target } from '../helpers/fake-chaos.js';

const RUNNING: ContainerResources = {
  cpu: { nanoCpus: 5e8, cpuQuota: 0, cpuPeriod: 0 },
  memory: { memory: 0, memorySwap: 0 },
  running: true,
  paused: false,
  labels: {},
};

/** A container's namespace whose iptables is a list of rules: enough to see what dns adds. */
function namespace(opts: { embeddedDns?: boolean; failInsert?: number } = {}) {
  const raw: string[] = ['OUTPUT -d 10.0.0.9/32 -j DROP'];
  let inserts = 0;
  const port: Partial<ContainerPort> = {
    endpoint: 'fake',
    inspectResources: async () => RUNNING,
    netMethods: () => ['nsenter', 'helper'],
    netExec: async (_id, argv) => {
      const ok = { exitCode: 0, stdout: '', stderr: '' };
      const [, , table, op, ...rule] = argv;
      if (table === 'nat')
        return {
          ...ok,
          stdout:
            opts.embeddedDns === false
              ? '-P OUTPUT ACCEPT\n'
              : '-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT\n',
        };
      const text = rule.join(' ');
      if (op === '-I') {
        if (++inserts === opts.failInsert)
          return { exitCode: 1, stdout: '', stderr: 'no raw table' };
        raw.unshift(text);
        return ok;
      }
      if (op === '-C')
        return raw.includes(text) ? ok : { exitCode: 1, stdout: '', stderr: 'bad rule' };
      if (op === '-D') {
        const at = raw.indexOf(text);
        if (at < 0) return { exitCode: 1, stdout: '', stderr: 'bad rule' };
        raw.splice(at, 1);
        return ok;
      }
      return { exitCode: 2, stdout: '', stderr: `unexpected ${argv.join(' ')}` };
    },
  };
  const ports: FaultPorts = { swarm: {} as SwarmPort, containerPort: () => port as ContainerPort };
  return { raw, ports };
}

const dns = faultModule('dns');

describe('the dns fault', () => {
  it('drops udp and tcp 53 to 127.0.0.11 in the raw table, tagged, and its undo removes exactly those', async () => {
    const ns = namespace();
    const change = await dns.prepare(target, { method: 'auto' }, ns.ports);
    expect(ns.raw).toHaveLength(1);
    await change.apply();
    expect(ns.raw).toHaveLength(3);
    for (const proto of ['udp', 'tcp'])
      expect(
        ns.raw.some(
          (r) =>
            r.includes(`-d 127.0.0.11/32 -p ${proto} --dport 53`) &&
            r.includes('chaosdeck-') &&
            r.endsWith('-j DROP'),
        ),
      ).toBe(true);
    expect(change.params).toEqual({ method: 'iptables via nsenter' });
    expect(dns.describe({ ...change.params, duration: '30s' })).toBe(
      'DNS queries dropped (iptables via nsenter) for 30s',
    );
    expect(await dns.undo(change.undo, ns.ports, 'vm')).toBe('done');
    expect(ns.raw).toEqual(['OUTPUT -d 10.0.0.9/32 -j DROP']);
    // A retried undo finds nothing of its own left: done, not failed.
    expect(await dns.undo(change.undo, ns.ports, 'vm')).toBe('done');
    expect(dns.undoSchema.safeParse(change.undo).success).toBe(true);
  });

  it('refuses a container that does not use Docker DNS, changing nothing', async () => {
    const ns = namespace({ embeddedDns: false });
    await expect(dns.prepare(target, {}, ns.ports)).rejects.toThrow(/does not use Docker's DNS/);
    expect(ns.raw).toHaveLength(1);
  });

  it('takes back the first rule when the second cannot go in', async () => {
    const ns = namespace({ failInsert: 2 });
    const change = await dns.prepare(target, {}, ns.ports);
    await expect(change.apply()).rejects.toThrow(/no raw table/);
    expect(ns.raw).toEqual(['OUTPUT -d 10.0.0.9/32 -j DROP']);
  });

  it('reads `:dns 2m` and `--method helper`', () => {
    expect(dns.lineWords(['2m'])).toEqual({ for: '2m' });
    expect(dns.lineWords(['2m', 'x'])).toMatch(/dns takes/);
    expect(dns.params({ method: 'helper' })).toEqual({ params: { method: 'helper' } });
  });
});
