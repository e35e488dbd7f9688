import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeckStore, type DeckStore } from '../../source/store/deck-store.js';
import { startLiveSync } from '../../source/console/live-sync.js';
import { execa } from 'execa';
import { connectLab, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';

describeLab('reconnect after a dockerd restart', () => {
  let store: DeckStore;
  let stop: () => void;

  beforeAll(async () => {
    const engine = await connectLab();
    const info = await engine.info();
    store = createDeckStore();
    stop = startLiveSync(store, {
      port: engine,
      containerPort: () => engine,
      fastMs: 200,
      slowMs: 500,
    });
    await waitFor(
      'live',
      () => store.getState().connection === 'live' && store.getState().services.length > 0,
    );
    expect(info.isManager).toBe(true);
  });
  afterAll(async () => {
    stop?.();
    await waitLabConverged(180_000);
  });

  it('goes stale and reconnecting while dockerd is down, keeps the last state, and comes back live', async () => {
    const servicesBefore = store
      .getState()
      .services.map((s) => s.name)
      .sort();
    await execa('bash', ['scripts/lab.sh', 'stop-engine']);
    await waitFor('reconnecting', () => store.getState().connection === 'reconnecting', 30_000);
    expect(store.getState().stale).toBe(true);
    expect(
      store
        .getState()
        .services.map((s) => s.name)
        .sort(),
    ).toEqual(servicesBefore);
    await execa('bash', ['scripts/lab.sh', 'start-engine']);
    await waitFor('live again', () => store.getState().connection === 'live', 90_000, 200);
    expect(store.getState().stale).toBe(false);
    // The model is fresh again: it agrees with docker service ps after the restart.
    await waitFor(
      'the model to match docker service ps',
      async () => {
        const cli = (
          await docker([
            'service',
            'ps',
            'lab_web',
            '--no-trunc',
            '--format',
            '{{.ID}} {{.DesiredState}}',
          ])
        )
          .toLowerCase()
          .split('\n')
          .sort();
        const state = store.getState();
        const web = state.services.find((s) => s.name === 'lab_web');
        const model = state.tasks
          .filter((t) => t.serviceId === web?.id)
          .map((t) => `${t.id} ${t.desiredState}`)
          .sort();
        return JSON.stringify(cli) === JSON.stringify(model);
      },
      60_000,
      250,
    );
  });
});
