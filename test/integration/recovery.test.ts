import { afterAll, beforeAll, expect, it } from 'vitest';
import { phasesOf, type RecoveryEpisode } from '../../source/domain/recovery.js';
import { createDeckStore, type DeckStore } from '../../source/store/deck-store.js';
import { startLiveSync } from '../../source/console/live-sync.js';
import { linkGameDay } from '../../source/console/game-day-link.js';
import { inspectContainer, labSession, targetOf } from '../helpers/chaos-lab.js';
import { connectLab, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';

const time = (iso: string) => Date.parse(iso);

describeLab('recovery stopwatch against Swarm’s own timestamps', () => {
  let store: DeckStore;
  let stop: () => void;

  beforeAll(async () => {
    await waitLabConverged();
    const engine = await connectLab();
    const info = await engine.info();
    store = createDeckStore();
    const { session } = await labSession(engine);
    const unlink = linkGameDay(store, session);
    const stopSync = startLiveSync(store, {
      port: engine,
      containerPort: (id) => (id === info.nodeId ? engine : undefined),
      observe: (tasks, services) => session.observe(tasks, services),
    });
    stop = () => {
      stopSync();
      unlink();
    };
    await waitFor('the first snapshot', () => store.getState().tasks.length > 0);
    // One more poll so the tracker has a "before" list with the running task.
    await new Promise((resolve) => setTimeout(resolve, 2500));
  });
  afterAll(async () => {
    stop?.();
    await waitLabConverged();
  });

  it('a docker kill of the web task: each phase agrees with docker inspect within 50 ms', async () => {
    const old = await targetOf('lab_web');
    await docker(['kill', old.containerId]);
    const episode = await waitFor(
      'the recovery to converge in the model',
      () =>
        store
          .getState()
          .recoveries.find(
            (e: RecoveryEpisode) => e.failedTaskId === old.taskId && e.convergedAt !== undefined,
          ),
      60_000,
      100,
    );
    // Read Docker's own record of the same recovery right away (the health log keeps 5 probes).
    const replacement = episode.replacementTaskId!;
    // JSON output keeps Docker's RFC 3339 times (the Go template default prints them with spaces).
    const oldTask = JSON.parse(await docker(['inspect', old.taskId])) as [
      { Status: { Timestamp: string } },
    ];
    const newTask = JSON.parse(await docker(['inspect', replacement])) as [
      {
        CreatedAt: string;
        Status: { Timestamp: string; ContainerStatus: { ContainerID: string } };
      },
    ];
    const failedAt = oldTask[0].Status.Timestamp;
    const createdAt = newTask[0].CreatedAt;
    const runningAt = newTask[0].Status.Timestamp;
    const containerId = newTask[0].Status.ContainerStatus.ContainerID;
    const log = JSON.parse(await inspectContainer(containerId, '{{json .State.Health.Log}}')) as {
      Start: string;
      End: string;
      ExitCode: number;
    }[];
    const startedAt = time(
      JSON.parse(await inspectContainer(containerId, '{{json .State.StartedAt}}')) as string,
    );
    const firstPass = log
      .filter((p) => p.ExitCode === 0 && time(p.Start) >= startedAt)
      .sort((a, b) => time(a.Start) - time(b.Start))[0]!;

    expect(Math.abs(episode.failedAt - time(failedAt))).toBeLessThanOrEqual(50);
    expect(Math.abs(episode.createdAt! - time(createdAt))).toBeLessThanOrEqual(50);
    expect(Math.abs(episode.runningAt! - time(runningAt))).toBeLessThanOrEqual(50);
    expect(Math.abs(episode.healthyAt! - time(firstPass.End))).toBeLessThanOrEqual(50);
    expect(Math.abs(episode.startedAt! - startedAt)).toBeLessThanOrEqual(50);
    expect(episode.exitCode).toBe(137);
    const phases = phasesOf(episode);
    // Swarm's restart delay (5 s by default) sits between creation and the container's start.
    expect(phases.started! - phases.created!).toBeGreaterThanOrEqual(4900);
    expect(phases.healthy!).toBeGreaterThan(phases.started!);
    // With a healthcheck, Swarm reports the task running only once its first probe passed, so
    // converged (running = desired, all healthy) is the later of the two.
    expect(phases.converged).toBe(Math.max(phases.healthy!, phases.running!));
    expect(phases.running!).toBeGreaterThanOrEqual(phases.healthy!);
  });
});
