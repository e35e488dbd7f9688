import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { targetOf } from '../helpers/chaos-lab.js';
import { createService, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';

// Sorts first in the services pane (before lab_*), so the console opens on it.
const SICK = 'aa_health_sick';

interface Probe {
  Start: string;
  End: string;
  ExitCode: number;
}

/** The last recovery line the console journaled for the slot whose task failed. */
function journaledEpisode(stateHome: string, failedTaskId: string) {
  const dir = join(stateHome, 'chaosdeck', 'journal');
  const lines = readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean),
  );
  const episodes = lines
    .map((l) => JSON.parse(l) as { type: string; episode?: Record<string, number | string> })
    .filter((e) => e.type === 'recovery' && e.episode?.failedTaskId === failedTaskId);
  return episodes.at(-1)?.episode;
}

describeLab('a health failure, timed from its first failing probe', () => {
  const cases = consoleCases();

  beforeAll(async () => {
    await docker(['service', 'rm', SICK]).catch(() => undefined);
    // Healthy while /tmp/ok exists; `docker exec … rm /tmp/ok` makes every probe fail.
    await createService(
      SICK,
      [
        '--constraint',
        'node.role==manager',
        '--health-cmd',
        'test -f /tmp/ok',
        '--health-interval',
        '1s',
        '--health-timeout',
        '1s',
        '--health-retries',
        '3',
        '--restart-delay',
        '1s',
      ],
      ['sh', '-c', 'touch /tmp/ok; trap "exit 0" TERM; while true; do sleep 1; done'],
    );
    await targetOf(SICK);
  });
  afterAll(async () => {
    await docker(['service', 'rm', SICK]).catch(() => undefined);
    await waitLabConverged();
  });

  it('the breakdown starts at the first failing probe, names unhealthy, and agrees with the health log and Swarm within 50 ms', async () => {
    const tui = (cases.tui = await new Tui().start([]));
    await tui.waitScreen(new RegExp(`› ${SICK}`));
    const sick = await targetOf(SICK);
    await waitFor(
      'the container healthy',
      async () =>
        (await docker(['inspect', sick.containerId, '--format', '{{.State.Health.Status}}'])) ===
        'healthy',
    );
    await docker(['exec', sick.containerId, 'rm', '/tmp/ok']);
    const screen = await tui.waitScreen(
      /first failing probe → unhealthy \+([\d.]+)s → killed \+([\d.]+)s/,
      60_000,
    );
    const [, onScreenUnhealthy, onScreenKilled] =
      /first failing probe → unhealthy \+([\d.]+)s → killed \+([\d.]+)s/.exec(screen)!;
    // The dead task's row says why, with the streak Docker counted.
    await tui.waitScreen(/\\_ \S+\s.*unhealthy \(\d+ failing probes\)/, 10_000);

    // What Docker and Swarm recorded: the dead container's health log, the task's end.
    const log = JSON.parse(
      await docker(['inspect', sick.containerId, '--format', '{{json .State.Health.Log}}']),
    ) as Probe[];
    let first = log.length;
    while (first > 0 && log[first - 1]!.ExitCode !== 0) first--;
    const streak = log.slice(first);
    expect(streak.length).toBeGreaterThanOrEqual(3);
    const failedAt = Date.parse(
      await docker(['inspect', sick.taskId, '--format', '{{.Status.Timestamp}}']),
    );
    const firstFailing = Date.parse(streak[0]!.Start);
    const unhealthy = Date.parse(streak[2]!.End);

    // The screen's figures, to a tenth of a second, from the same start.
    expect(Math.abs(Number(onScreenUnhealthy) * 1000 - (unhealthy - firstFailing))).toBeLessThan(
      100,
    );
    expect(Math.abs(Number(onScreenKilled) * 1000 - (failedAt - firstFailing))).toBeLessThan(100);
    const episode = await waitFor('the journaled recovery', () =>
      journaledEpisode(tui.stateHome, sick.taskId),
    );
    expect(Math.abs(Number(episode.firstFailingProbeAt) - firstFailing)).toBeLessThanOrEqual(50);
    expect(Math.abs(Number(episode.unhealthyAt) - unhealthy)).toBeLessThanOrEqual(50);
    expect(Math.abs(Number(episode.failedAt) - failedAt)).toBeLessThanOrEqual(50);
    // Docker marks it unhealthy, then Swarm kills it: the phases come in that order.
    expect(unhealthy).toBeGreaterThan(firstFailing);
    expect(failedAt).toBeGreaterThanOrEqual(unhealthy);
  });
});
