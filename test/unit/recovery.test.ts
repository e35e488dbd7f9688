import { describe, expect, it } from 'vitest';
import {
  advanceEpisode,
  detectLosses,
  episodeSlot,
  firstHealthyAt,
  healthFailure,
  phasesOf,
  recoveryStats,
  type RecoveryEpisode,
} from '../../source/domain/recovery.js';
import type { ContainerHealth } from '../../source/domain/types.js';
import {
  episodeHeading,
  explainRecovery,
  phaseLine,
  recoveryLine,
  recoveryLines,
} from '../../source/format/recovery-lines.js';
import { RecoveryTracker } from '../../source/live/recovery-tracker.js';
import { containerHealth, service, task } from '../helpers/fixtures.js';

const T = 1_000_000;
const web = service({ id: 'w', name: 'web', hasHealthcheck: true, restartDelayMs: 5000 });
const running = task({
  id: 'old',
  serviceId: 'w',
  slot: 1,
  createdAt: T - 60_000,
  stateSince: T - 59_000,
  containerId: 'c0',
});
const failed = {
  ...running,
  state: 'failed' as const,
  desiredState: 'shutdown' as const,
  stateSince: T,
  exitCode: 137,
};
const created = task({
  id: 'new',
  serviceId: 'w',
  slot: 1,
  state: 'ready',
  createdAt: T + 20,
  stateSince: T + 30,
});
const started = { ...created, state: 'running' as const, stateSince: T + 5_600, containerId: 'c1' };

const health = (probes: [number, number, number][], startedAt = T + 5_550): ContainerHealth =>
  containerHealth({
    containerId: 'c1',
    probes: probes.map(([start, end, exitCode]) => ({ start, end, exitCode, output: '' })),
    startedAt,
  });

describe('detectLosses', () => {
  it.each([
    ['a running task that failed', [running], [failed, created], 1],
    ['a task seen only after it ended', [], [failed], 0],
    ['a task still running', [running], [running], 0],
    ['a slot removed by scaling down', [{ ...running, slot: 3 }], [{ ...failed, slot: 3 }], 0],
  ])('%s → %d', (_name, before, after, count) => {
    expect(detectLosses(before, after, [{ ...web, desired: 1 }], [])).toHaveLength(count);
  });
  it.each([
    ['ended after the last look at its counts', T - 1000, undefined, 1],
    ['ended before the last look', T + 1, undefined, 0],
    [
      'never had a container (rejected)',
      T - 1000,
      { state: 'rejected' as const, containerId: undefined },
      0,
    ],
  ])('a service newly listed: a task that %s', (_name, since, over, count) => {
    const fresh = { serviceIds: new Set(['w']), since };
    const ended = { ...failed, ...over };
    expect(detectLosses([], [ended], [{ ...web, desired: 1 }], [], fresh)).toHaveLength(count);
  });
  it.each([
    ['during a rolling update: not a loss', { from: T - 2000 }, 0],
    [
      'after an update that completed long before (a drain): a loss',
      { from: T - 60_000, to: T - 50_000 },
      1,
    ],
    ['no update on record: a loss', undefined, 1],
  ])('a task Swarm shut down %s', (_name, updateWindow, count) => {
    const shut = { ...failed, state: 'shutdown' as const, exitCode: 0 };
    const svc = { ...web, desired: 1, ...(updateWindow ? { updateWindow } : {}) };
    expect(detectLosses([running], [shut], [svc], [])).toHaveLength(count);
  });
  it('one recovery for a slot that lost two tasks, from the first loss', () => {
    const again = { ...failed, id: 'again', stateSince: T + 5000 };
    const found = detectLosses([], [again, failed], [web], [], {
      serviceIds: new Set(['w']),
      since: 0,
    });
    expect(found.map((e) => e.failedTaskId)).toEqual(['old']);
  });
  it("names a global service's slot by its node's name, as the console does", () => {
    const worker = service({ id: 'g', name: 'worker', mode: 'global' });
    const onNode = task({ id: 'g1', serviceId: 'g', nodeId: 'n2xyz', containerId: 'c9' });
    delete (onNode as { slot?: number }).slot;
    const gone = { ...onNode, state: 'failed' as const, desiredState: 'shutdown' as const };
    const names = (id: string) => (id === 'n2xyz' ? 'labw2' : id);
    const [e] = detectLosses([onNode], [gone], [worker], [], undefined, names);
    expect(e).toMatchObject({ slotKey: 'n2xyz', slotName: 'worker.labw2' });
    expect(episodeSlot(e!)).toBe('worker.labw2');
    expect(episodeHeading(e!, e!.failedAt)).toMatch(/^worker\.labw2 recovering/);
    // An episode from an older journal has no name: its service and key.
    expect(episodeSlot({ ...e!, slotName: undefined })).toBe('worker.n2xyz');
  });
  it('records the failure from the task timestamp, not from when it was seen', () => {
    const [e] = detectLosses([running], [failed], [web], []);
    expect(e).toMatchObject({
      failedAt: T,
      exitCode: 137,
      failedState: 'failed',
      slotKey: '1',
      hasHealthcheck: true,
    });
  });
});

describe('advanceEpisode', () => {
  const start = detectLosses([running], [failed], [web], [])[0]!;
  const steps: [
    string,
    Parameters<typeof advanceEpisode>[1],
    ContainerHealth | undefined,
    Partial<ReturnType<typeof phasesOf>>,
  ][] = [
    ['replacement created', [failed, created], undefined, { created: 20 }],
    ['replacement running', [failed, started], undefined, { created: 20, running: 5_600 }],
    [
      'probe before start ignored, first passing probe ends healthy',
      [failed, started],
      health([
        [T + 5_000, T + 5_040, 0],
        [T + 7_550, T + 7_600, 0],
        [T + 9_550, T + 9_590, 0],
      ]),
      { started: 5_550, running: 5_600, healthy: 7_600, converged: 7_600 },
    ],
  ];
  let e: RecoveryEpisode = start;
  it.each(steps)('%s', (_name, tasks, h, phases) => {
    e = advanceEpisode(e, tasks, { ...web, running: 1 }, h);
    expect(phasesOf(e)).toMatchObject(phases);
  });

  it("a node back from a cut: the replacement made 11 s before the old task's end was recorded is found, and an older task of the slot is not", () => {
    const plain = { ...web, hasHealthcheck: false, running: 1 };
    const ep = { ...start, hasHealthcheck: false };
    const early = {
      ...created,
      id: 'early',
      createdAt: T - 11_000,
      state: 'running' as const,
      stateSince: T - 10_800,
    };
    const older = {
      ...created,
      id: 'older',
      createdAt: T - 90_000,
      state: 'shutdown' as const,
      desiredState: 'shutdown' as const,
    };
    const after = advanceEpisode(ep, [older, failed, early], plain, undefined);
    expect([after.replacementTaskId, after.runningAt, after.convergedAt]).toEqual([
      'early',
      T - 10_800,
      T - 10_800,
    ]);
    expect(advanceEpisode(ep, [older, failed], plain, undefined).replacementTaskId).toBeUndefined();
  });

  it('a replacement that fails again counts as a retry and restarts the phases', () => {
    let ep = advanceEpisode(start, [failed, started], { ...web, running: 1 }, undefined);
    const again = {
      ...started,
      state: 'failed' as const,
      desiredState: 'shutdown' as const,
      stateSince: T + 8_000,
    };
    const third = task({
      id: 'third',
      serviceId: 'w',
      slot: 1,
      state: 'ready',
      createdAt: T + 8_050,
      stateSince: T + 8_060,
    });
    ep = advanceEpisode(ep, [failed, again, third], { ...web, running: 0 }, undefined);
    expect(ep).toMatchObject({ retries: 1, replacementTaskId: 'third' });
    expect(ep.runningAt).toBeUndefined();
    expect(
      explainRecovery({
        ...ep,
        runningAt: T + 14_000,
        healthyAt: T + 16_000,
        convergedAt: T + 16_000,
      }),
    ).toMatch(/1 replacement\(s\) failed again/);
  });

  it("the replacement's container start, read while Swarm still says starting; not before", () => {
    const starting = { ...started, state: 'starting' as const };
    const neverStarted = containerHealth({ containerId: 'c1', probes: [] });
    let ep = advanceEpisode(start, [failed, created], web, neverStarted);
    expect(ep.startedAt).toBeUndefined();
    ep = advanceEpisode(ep, [failed, starting], web, health([]));
    expect(phasesOf(ep)).toMatchObject({ created: 20, started: 5_550 });
    expect(ep.runningAt).toBeUndefined();
    // A replacement of the replacement starts its phases over.
    const again = { ...starting, state: 'failed' as const, desiredState: 'shutdown' as const };
    const third = task({
      id: 'third',
      serviceId: 'w',
      slot: 1,
      state: 'ready',
      createdAt: T + 9e3,
    });
    ep = advanceEpisode(ep, [failed, again, third], web, undefined);
    expect(ep.startedAt).toBeUndefined();
  });

  it('without a healthcheck, converged when running and at the desired count', () => {
    const noHc = { ...start, hasHealthcheck: false };
    expect(
      advanceEpisode(noHc, [failed, started], { ...web, running: 1 }, undefined).convergedAt,
    ).toBe(T + 5_600);
    expect(
      advanceEpisode(noHc, [failed, started], { ...web, running: 0 }, undefined).convergedAt,
    ).toBeUndefined();
  });
});

describe("the tracker reads a replacement's container", () => {
  it('once when Swarm says starting (its start), then each poll until its first passing probe', async () => {
    const asked: string[] = [];
    let log = health([]);
    const tracker = new RecoveryTracker({
      healthOf: async (t) => {
        asked.push(t.state);
        return log;
      },
      onChange: () => undefined,
    });
    const starting = { ...started, state: 'starting' as const };
    const one = { ...web, running: 1 };
    const polls: [Parameters<typeof tracker.observe>[0], string[]][] = [
      [[running], []],
      // The ended container is read too, for a failing streak that made it unhealthy.
      [[failed, created], ['failed']],
      [
        [failed, starting],
        ['failed', 'starting'],
      ],
      [
        [failed, starting],
        ['failed', 'starting'],
      ],
      [
        [failed, started],
        ['failed', 'starting', 'running'],
      ],
    ];
    for (const [tasks, expected] of polls) {
      await tracker.observe(tasks, [one]);
      expect(asked).toEqual(expected);
    }
    log = health([[T + 7_550, T + 7_600, 0]]);
    await tracker.observe([failed, { ...started }], [one]);
    await tracker.observe([failed, { ...started }], [one]);
    expect(asked).toEqual(['failed', 'starting', 'running', 'running']);
    expect(phasesOf(tracker.list()[0]!)).toMatchObject({
      started: 5_550,
      healthy: 7_600,
      converged: 7_600,
    });
  });
});

describe('explainRecovery', () => {
  const base = { ...detectLosses([running], [failed], [web], [])[0]!, createdAt: T + 20 };
  it.each([
    [
      'the restart delay dominates',
      { runningAt: T + 5_600, healthyAt: T + 7_600, convergedAt: T + 7_600 },
      "the restart delay of the service's restart policy accounts for 5.0 s of 7.6 s",
    ],
    [
      'a slow first healthcheck dominates',
      { restartDelayMs: 0, runningAt: T + 600, healthyAt: T + 30_600, convergedAt: T + 30_600 },
      'waiting for the first passing healthcheck took 30.0 s of 30.6 s',
    ],
    [
      "a slow first healthcheck, counted from the container's start (Swarm's running waits for it)",
      {
        restartDelayMs: 0,
        startedAt: T + 600,
        healthyAt: T + 30_600,
        runningAt: T + 30_610,
        convergedAt: T + 30_610,
      },
      'waiting for the first passing healthcheck took 30.0 s of 30.6 s',
    ],
    [
      'the restart delay, up to when the container started',
      {
        startedAt: T + 5_100,
        healthyAt: T + 8_100,
        runningAt: T + 8_110,
        convergedAt: T + 8_110,
      },
      "the restart delay of the service's restart policy accounts for 5.0 s of 8.1 s",
    ],
    [
      'nothing clear',
      { restartDelayMs: 100, runningAt: T + 3_000, healthyAt: T + 4_000, convergedAt: T + 4_000 },
      undefined,
    ],
  ])('%s', (_name, patch, text) => expect(explainRecovery({ ...base, ...patch })).toBe(text));
});

describe('recovery stats and lines', () => {
  const ep = (
    toRunning: number,
    healthy: number | undefined,
    converged = true,
  ): RecoveryEpisode => ({
    ...detectLosses([running], [failed], [web], [])[0]!,
    runningAt: T + toRunning,
    ...(healthy !== undefined ? { healthyAt: T + healthy } : {}),
    ...(converged && healthy !== undefined ? { convergedAt: T + healthy } : {}),
  });
  it('hundreds open: the newest six one by one, the rest counted; eight services of history', () => {
    const open = Array.from({ length: 300 }, (_, i) => ({
      ...ep(5_500, undefined, false),
      id: `e${i}`,
      serviceName: `svc-${String(i).padStart(3, '0')}`,
      slotName: `svc-${String(i).padStart(3, '0')}.1`,
    }));
    const lines = recoveryLines(open, T + 10_000).map((l) => l.text);
    expect(lines[0]).toBe('300 recovering (the newest 6 below)');
    expect(lines.filter((l) => / recovering \d/.test(l))).toHaveLength(6);
    expect(lines[1]).toMatch(/^svc-294\.1 recovering/);
    expect(lines.at(-1)).toBe('+292 more services');
    expect(lines.length).toBeLessThan(40);
  });
  it('count, min/median/max and not converged', () => {
    const stats = recoveryStats(
      [ep(5_500, 7_400), ep(5_600, 7_600), ep(5_800, 7_900), ep(5_700, undefined, false)],
      T + 90_000,
    );
    expect(stats).toEqual({
      count: 4,
      toRunning: { min: 5_500, median: 5_650, max: 5_800 },
      toHealthy: { min: 7_400, median: 7_600, max: 7_900 },
      inProgress: 0,
      notConverged: 1,
    });
    expect(recoveryStats([ep(5_700, undefined, false)], T + 10_000)).toMatchObject({
      inProgress: 1,
      notConverged: 0,
    });
    expect(recoveryStats([ep(-1_600, undefined)], T + 10_000).toRunning).toEqual({
      min: 0,
      median: 0,
      max: 0,
    });
    expect(recoveryStats([{ ...ep(5_500, 7_400), retries: 2 }], T + 10_000)).toMatchObject({
      notConverged: 1,
    });
  });
  it('a phase line with a ticking clock while recovering', () => {
    const open = { ...detectLosses([running], [failed], [web], [])[0]!, createdAt: T + 20 };
    expect(episodeHeading(open, T + 3_000)).toBe('web.1 recovering 3.0s (failed, exit 137)');
    expect(episodeHeading(open, T - 500)).toBe('web.1 recovering 0.0s (failed, exit 137)');
    expect(episodeHeading({ ...open, convergedAt: T + 7_600 }, T + 9_000)).toBe(
      'web.1 recovered in 7.6s (failed, exit 137)',
    );
    // A global task on a node back from a cut: its replacement ran before the old one's end.
    expect(episodeHeading({ ...open, convergedAt: T - 1_600 }, T + 9_000)).toBe(
      'web.1 replaced with no gap (running 1.6s before the end was recorded) (failed, exit 137)',
    );
    expect(phaseLine({ ...open, runningAt: T - 1_600, convergedAt: T - 1_600 })).toBe(
      'created +0.0s · healthy … · running -1.6s · converged -1.6s',
    );
    expect(phaseLine(open)).toBe('created +0.0s · started … · healthy … · running … · converged …');
    expect(recoveryLine(open)).toBe(
      'recovery web.1: created +0.0s · started … · healthy … · running … · converged …',
    );
    expect(recoveryLine({ ...open, hasHealthcheck: false }, { kind: 'oom' })).toBe(
      'recovery web.1: created +0.0s · running … · converged … (OOM killed)',
    );
  });
  it.each([
    [
      'with a healthcheck, in the order Swarm goes: started, healthy, then running',
      { startedAt: T + 5_550, healthyAt: T + 7_600, runningAt: T + 7_610, convergedAt: T + 7_610 },
      'created +0.0s · started +5.5s · healthy +7.6s · running +7.6s · converged +7.6s',
    ],
    [
      'finished, its container start never read (node out of reach): left out, not pending',
      { healthyAt: T + 7_600, runningAt: T + 7_610, convergedAt: T + 7_610 },
      'created +0.0s · healthy +7.6s · running +7.6s · converged +7.6s',
    ],
    [
      'without one, the container is not read: running is when it started',
      { hasHealthcheck: false, runningAt: T + 600, convergedAt: T + 600 },
      'created +0.0s · running +0.6s · converged +0.6s',
    ],
  ])('phase line %s', (_name, patch, text) => {
    const e = { ...detectLosses([running], [failed], [web], [])[0]!, createdAt: T + 20 };
    expect(phaseLine({ ...e, ...patch })).toBe(text);
  });
  it('first healthy probe needs a passing exit code', () => {
    expect(
      firstHealthyAt(
        health([
          [T + 6_000, T + 6_050, 1],
          [T + 8_000, T + 8_040, 0],
        ]),
      ),
    ).toBe(T + 8_040);
    expect(firstHealthyAt(health([[T + 6_000, T + 6_050, 1]]))).toBeUndefined();
  });
});

describe('a health failure dates the outage from its first failing probe', () => {
  const probe = (start: number, exitCode: number) => ({
    start,
    end: start + 100,
    exitCode,
    output: '',
  });
  const log = (...codes: number[]) =>
    containerHealth({ startedAt: 0, probes: codes.map((c, i) => probe(1000 + i * 3000, c)) });
  it.each([
    [
      'three failing after a pass, retries 3',
      log(0, 1, 1, 1),
      3,
      { firstFailingProbeAt: 4000, unhealthyAt: 10_100 },
    ],
    ['two failing, retries 3: not unhealthy', log(0, 0, 1, 1), 3, undefined],
    [
      'all five kept failing: from the first kept',
      log(1, 1, 1, 1, 1),
      3,
      { firstFailingProbeAt: 1000, unhealthyAt: 7100 },
    ],
    ['the last probe passed (killed for something else)', log(1, 1, 1, 0), 3, undefined],
    ['no health log', undefined, 3, undefined],
  ])('%s', (_name, health, retries, expected) => {
    expect(healthFailure(health, retries)).toEqual(expected);
  });

  const sick: RecoveryEpisode = {
    id: 'e',
    serviceId: 'w',
    serviceName: 'web',
    slotKey: '1',
    failedTaskId: 'old',
    failedState: 'failed',
    exitCode: 137,
    failedAt: T,
    firstFailingProbeAt: T - 9_200,
    unhealthyAt: T - 100,
    createdAt: T + 50,
    runningAt: T + 5_050,
    healthyAt: T + 8_050,
    convergedAt: T + 8_050,
    hasHealthcheck: true,
    restartDelayMs: 5000,
    retries: 0,
  };
  it('phases count from the first failing probe, with unhealthy and killed', () => {
    expect(phasesOf(sick)).toEqual({
      unhealthy: 9_100,
      killed: 9_200,
      created: 9_250,
      running: 14_250,
      healthy: 17_250,
      converged: 17_250,
    });
    expect(episodeHeading(sick, T + 20_000)).toBe('web.1 recovered in 17.3s (failed, exit 137)');
    expect(recoveryLinesText(sick)).toContain(
      'first failing probe → unhealthy +9.1s → killed +9.2s',
    );
  });
});

function recoveryLinesText(e: RecoveryEpisode): string {
  return recoveryLines([e], e.convergedAt ?? 0)
    .map((l) => l.text)
    .join('\n');
}
