import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../source/domain/fault.js';
import type { TaskState } from '../../source/domain/types.js';
import { lostTargets } from '../../source/game-day/lost-targets.js';
import { target } from '../helpers/fake-chaos.js';
import { service, task } from '../helpers/fixtures.js';

const fault = (patch: Partial<FaultRecord> = {}): FaultRecord => ({
  id: 'f',
  kind: 'cpu',
  target: { ...target, serviceId: 's', taskId: 't1' },
  params: {},
  appliedAt: 1,
  undo: {
    kind: 'cpu',
    containerId: 'c1',
    nodeId: 'n1',
    previous: { nanoCpus: 5e8, cpuQuota: 0, cpuPeriod: 0 },
  },
  status: 'active',
  pid: 1,
  ...patch,
});
const web = [service({ id: 's', name: 'web' })];
const listed = (state: TaskState, desiredState: TaskState = 'running') => [
  task({ id: 't1', serviceId: 's', state, desiredState }),
];
const all = new Set(['s']);

describe('faults whose target went with its task', () => {
  it.each([
    ['its task runs', fault(), listed('running'), web, all, undefined],
    [
      'its task failed (a kill, an OOM)',
      fault(),
      listed('failed', 'shutdown'),
      web,
      all,
      'its task failed',
    ],
    ['its task shut down', fault(), listed('shutdown', 'shutdown'), web, all, 'its task shutdown'],
    [
      'scaled down, stopped',
      fault(),
      listed('shutdown', 'remove'),
      web,
      all,
      'Swarm removed its task (scaled down; shutdown)',
    ],
    ['scaled down, still stopping', fault(), listed('running', 'remove'), web, all, undefined],
    [
      'its task no longer listed',
      fault(),
      [],
      web,
      all,
      'Swarm removed its task (scaled down or updated)',
    ],
    ['its service removed', fault(), [], [], new Set<string>(), 'its service was removed'],
    ['its service not covered by this snapshot', fault(), [], web, new Set<string>(), undefined],
    ['still applying', fault({ status: 'applying' }), [], web, all, undefined],
    ['a dry run', fault({ dryRun: true }), [], web, all, undefined],
    [
      'a drain (not on a container)',
      fault({ kind: 'drain', undo: { kind: 'availability', nodeId: 'n1', previous: 'active' } }),
      [],
      web,
      all,
      undefined,
    ],
  ])('%s → %s', (_name, f, tasks, services, covered, why) => {
    const lost = lostTargets([f], tasks, services, covered);
    expect(lost.map((l) => l.why)).toEqual(why ? [why] : []);
  });
});
