import { describe, expect, it } from 'vitest';
import { faultParams } from '../../source/faults/params.js';
import { statusLines, statusTaskRows } from '../../source/commands/status-command.js';
import { resolveTargets, type Snapshot } from '../../source/fault-run/targets.js';
import { readFaultCommand } from '../../source/entry/command-flags.js';
import { service, task } from '../helpers/fixtures.js';

const api = service({ id: 'a', name: 'lab_api', desired: 2, running: 2 });
const db = service({ id: 'd', name: 'lab_db' });
const snap: Snapshot = {
  services: [api, db],
  tasks: [
    task({ id: 'taskapi1xxxxx', serviceId: 'a', slot: 1, containerId: 'ca1' }),
    task({ id: 'taskapi2xxxxx', serviceId: 'a', slot: 2, containerId: 'ca2' }),
    task({ id: 'taskdb1xxxxxx', serviceId: 'd', slot: 1, containerId: 'cd1' }),
    task({
      id: 'taskdbold',
      serviceId: 'd',
      slot: 1,
      state: 'failed',
      desiredState: 'shutdown',
      containerId: 'cd0',
      createdAt: 1,
    }),
  ],
  nodes: [],
};
const first = () => 0;

describe('resolveTargets', () => {
  it.each([
    ['a service: one of its running tasks', 'lab_api', {}, ['lab_api.2']],
    ['a slot', 'lab_api.1', {}, ['lab_api.1']],
    ['a task id prefix', 'taskapi2', {}, ['lab_api.2']],
    [
      're: every running task of the matches',
      're:^lab_',
      {},
      ['lab_api.1', 'lab_api.2', 'lab_db.1'],
    ],
    ['re: --limit 2', 're:^lab_', { limit: 2 }, ['lab_api.1', 'lab_api.2']],
    ['re: --random picks one', 're:^lab_', { random: true }, ['lab_api.2']],
  ])('%s', (_name, spec, choice, slots) => {
    const r = resolveTargets(spec, snap, { random: false, pick: first, ...choice });
    expect('targets' in r && r.targets.map((t) => t.slotName)).toEqual(slots);
  });

  it.each([
    ['nothing by that name', 'lab_nope', /no such service, slot, task or container/],
    ['a slot that is not there', 'lab_api.7', /no such slot/],
    ['a bad regex', 're:(', /not a regex/],
    ['a regex matching nothing', 're:^zzz', /no service name matches/],
    ['a task that is not running', 'taskdbold', /not running \(failed\)/],
  ])('%s', (_name, spec, error) => {
    const r = resolveTargets(spec, snap, { random: false });
    expect('error' in r && r.error).toMatch(error);
  });
});

describe('fault flags', () => {
  it.each([
    ['kill', {}, { signal: 'SIGKILL' }],
    ['stop', { grace: '3' }, { grace: '3' }],
    ['cpu', { cpus: '50%' }, { cpus: '50%', scope: 'container' }],
    ['memory', { memory: '50m', scope: 'service' }, { limit: '50m', scope: 'service' }],
    [
      'net',
      { delay: '100ms', jitter: '10ms' },
      { type: 'delay', amount: '100ms', jitter: '10ms', method: 'auto' },
    ],
    ['net', { loss: '30%' }, { type: 'loss', amount: '30%', jitter: '', method: 'auto' }],
  ] as const)('%s %j', (kind, flags, params) => {
    expect(faultParams(kind, flags)).toEqual({ params });
  });

  it.each([
    ['cpu', {}, /needs --cpus/],
    ['kill', { cpus: '1' }, /--cpus is not an option of kill/],
    ['net', { delay: '1s', loss: '5%' }, /one of --delay/],
    ['net', { loss: '5%', jitter: '1ms' }, /--jitter goes with --delay/],
    ['memory', { memory: '5m', scope: 'pod' }, /--scope must be/],
  ] as const)('%s %j is a usage error', (kind, flags, error) => {
    const r = faultParams(kind, flags);
    expect('error' in r && r.error).toMatch(error);
  });

  const base = { waitRecovery: false, forceLast: false, random: false, yes: false };
  it.each([
    [{ for: '-1s' }, /--for: "-1s" is not a duration/],
    [{ for: '3s' }, /kill is a moment/],
    [{ every: '5s' }, /go together/],
    [{ times: '0', every: '1s' }, /--times: "0"/],
    [{ timeout: '5s' }, /--timeout bounds --wait-recovery/],
  ])('kill %j is refused', (flags, error) => {
    const r = readFaultCommand('kill', 'x', { ...base, ...flags });
    expect('error' in r && r.error).toMatch(error);
  });
});

describe('status columns', () => {
  const rows = statusTaskRows(snap.services, snap.tasks, [], {}, []);
  it.each([200, 80, 60])('fit %i columns', (width) => {
    const lines = statusLines(rows, width, Date.now());
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    expect(lines[0]).toMatch(/^SLOT\s+/);
    expect(lines.some((l) => l.startsWith('lab_db.1 '))).toBe(true);
  });
});
