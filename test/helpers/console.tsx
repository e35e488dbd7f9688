import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { createDeckStore, type DeckStore } from '../../source/store/deck-store.js';
import type { ExperimentFlow } from '../../source/console/experiment-flow.js';
import type { FaultFlow } from '../../source/console/fault-flow.js';
import { App } from '../../source/ui/App.js';
import { DeckContext } from '../../source/ui/context.js';
import { node, service, task } from './fixtures.js';

// Console component tests: a seeded store, the App mounted on it, keys typed as a terminal sends them.
export const ESC = '\u001B';
/** Keys as a terminal sends them. */
export const keys = {
  down: `${ESC}[B`,
  up: `${ESC}[A`,
  tab: '\t',
  shiftTab: `${ESC}[Z`,
  enter: '\r',
  esc: ESC,
  backspace: '\u007F',
  left: `${ESC}[D`,
  right: `${ESC}[C`,
  home: `${ESC}[H`,
  end: `${ESC}[F`,
  ctrlA: '\u0001',
  ctrlE: '\u0005',
  ctrlU: '\u0015',
  ctrlW: '\u0017',
  ctrlC: '\u0003',
};

/** 31 services (lab_web with a task and its failed predecessor), two nodes. */
export function seededStore(columns = 80, rows = 24, color = true): DeckStore {
  const store = createDeckStore({ size: { columns, rows }, color });
  const a = store.getState().actions;
  a.setEngine({
    version: '20.10.24',
    apiVersion: '1.41',
    swarmState: 'active',
    nodeId: 'n1',
    nodeName: 'vm',
    isManager: true,
    managers: [],
  });
  a.setConnection('live');
  const services = Array.from({ length: 30 }, (_, i) =>
    service({
      id: `s${i}`,
      name: `svc-${String(i).padStart(2, '0')}-with-a-rather-long-name-for-the-column`,
      running: i === 3 ? 0 : 1,
    }),
  );
  services.push(
    service({
      id: 'web',
      name: 'lab_web',
      ports: [{ target: 8080, published: 18080, protocol: 'tcp', mode: 'host' }],
    }),
  );
  a.setSwarm({
    services,
    nodes: [
      node({ id: 'n1', hostname: 'vm', leader: true }),
      node({ id: 'n2', hostname: 'labw1', role: 'worker' }),
    ],
    tasks: [
      task({ id: 'w1', serviceId: 'web', slot: 1, createdAt: 5, containerId: 'c-web-1' }),
      task({
        id: 'w0',
        serviceId: 'web',
        slot: 1,
        createdAt: 1,
        state: 'failed',
        desiredState: 'shutdown',
        exitCode: 137,
        error: 'task: non-zero exit (137)',
        containerId: 'c-web-0',
      }),
      task({ id: 's0t', serviceId: 's0', slot: 1, nodeId: 'n2', containerId: 'c-remote' }),
    ],
    at: 0,
  });
  a.tick(10_000);
  return store;
}

/** Renders the console on a store. */
export function mount(
  store: DeckStore,
  onQuit: () => void = () => undefined,
  flow?: FaultFlow,
  experiments?: ExperimentFlow,
) {
  return render(
    <DeckContext.Provider value={store}>
      <App onQuit={onQuit} flow={flow} {...(experiments ? { experiments } : {})} />
    </DeckContext.Provider>,
  );
}

/** ink-testing-library applies input on the next tick. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
/** Types keys one by one, letting Ink apply each. */
export async function press(stdin: { write(data: string): void }, ...sequence: string[]) {
  for (const k of sequence) {
    stdin.write(k);
    await settle();
  }
}
/** A frame without escape codes. */
export const plain = (frame: string | undefined) => stripVTControlCharacters(frame ?? '');
