import { describe, expect, it } from 'vitest';
import { parseNodeFlags } from '../../source/docker/endpoint.js';
import { toEngineError } from '../../source/docker/errors.js';
import type { FaultRecord } from '../../source/domain/fault.js';
import { summaryLines } from '../../source/commands/restore-command.js';
import { faultSummary, faultTargetText, settledLine } from '../../source/faults/lines.js';
import { target } from '../helpers/fake-chaos.js';

const record: FaultRecord = {
  id: 'f1',
  kind: 'pause',
  target,
  params: {},
  appliedAt: Date.UTC(2026, 11, 7, 4, 30),
  undo: { kind: 'unpause', containerId: 'c1', nodeId: 'n1' },
  status: 'undo-failed',
  error: 'cannot connect to the Docker daemon at unix:///x.sock (ENOENT)',
  pid: 900,
  appliedBy: 123,
};
const none = { undone: [], gone: [], died: [], failed: [] };

describe('what restore and the way out say', () => {
  it('names the pid that applied the fault, not the one that took it over', () => {
    expect(faultSummary(record)).toMatch(/applied 2026-12-07 04:30:00 by pid 123, undo failed/);
    expect(faultSummary({ ...record, appliedBy: undefined })).toMatch(/by pid 900/);
  });

  it('an undo that worked now does not repeat its earlier failure', () => {
    const [line] = summaryLines({ ...none, undone: [record] });
    expect(line).toBe(
      'undone: pause on web.1 (container c1 on vm), applied 2026-12-07 04:30:00 by pid 123',
    );
  });

  it('a failure says what to do next: restore after the console, mend first within restore', () => {
    expect(summaryLines({ ...none, failed: [record] })[0]).toMatch(
      /^UNDO FAILED, still active: .*undo failed: cannot connect.* — chaosdeck restore undoes it$/,
    );
    expect(
      summaryLines(
        { ...none, failed: [record] },
        'mend what the error names, then run restore again',
      )[0],
    ).toMatch(/— mend what the error names, then run restore again$/);
  });

  it('an unreachable --node endpoint is named by its flag, not --host or DOCKER_HOST', () => {
    const endpoint = parseNodeFlags(['labw1=unix:///run/x.sock']).get('labw1')!;
    const error = toEngineError(Object.assign(new Error('x'), { code: 'ENOENT' }), endpoint);
    expect(error.message).toMatch(
      /Is dockerd running on labw1, and does --node labw1=URL name its endpoint\?/,
    );
    expect(error.message).not.toMatch(/--host|DOCKER_HOST/);
  });
});

describe('a fault that ended with its target', () => {
  it.each([
    [
      'its task failed',
      'web.1: its task failed; its pause fault ended with it (nothing to put back)',
    ],
    [
      'Swarm removed its task (scaled down; shutdown)',
      'web.1: Swarm removed its task (scaled down; shutdown); its pause fault ended with it (nothing to put back)',
    ],
  ])('%s', (why, line) => expect(settledLine(record, why)).toBe(line));
});

describe('faultTargetText: where a fault acts, in words', () => {
  it.each([
    [
      'pause',
      { slotName: 'lab_web.1', containerId: '1a2b3c4d5e6f7a8b', nodeName: 'vm' },
      'lab_web.1 (container 1a2b3c4d5e6f on vm)',
    ],
    [
      'partition',
      { slotName: 'lab_worker.labw1', containerId: '83acf803849c', nodeName: 'labw1' },
      'node labw1 (where lab_worker.labw1 runs)',
    ],
    ['partition', { slotName: 'labw2', containerId: '', nodeName: 'labw2' }, 'node labw2'],
  ])('%s on %j', (kind, target, text) => {
    expect(faultTargetText(kind, target)).toBe(text);
  });
});
