import { describe, expect, it, vi } from 'vitest';
import type { GameDayFaults } from '../../source/game-day/game-day-faults.js';
import {
  ExperimentFlow,
  type ExperimentOutput,
  type ExperimentPort,
} from '../../source/console/experiment-flow.js';
import { FaultFlow } from '../../source/console/fault-flow.js';
import { keys, mount, plain, press, seededStore } from '../helpers/console.js';

/** A port whose runs the test drives: it says what was started and halted. */
function fakePort() {
  const runs: { file: string; out: ExperimentOutput; halted: boolean }[] = [];
  const port: ExperimentPort = {
    dir: 'examples',
    list: async () => [
      { file: 'kill-api.json', title: 'lab_web keeps answering' },
      { file: 'broken.json', problem: 'method: at least one activity' },
    ],
    start: (file, out) => {
      const run = { file, out, halted: false };
      runs.push(run);
      return { halt: () => void (run.halted = true) };
    },
  };
  return { port, runs };
}

function consoleWith(columns = 120, rows = 40) {
  const store = seededStore(columns, rows);
  const halt = vi.fn(async () => undefined);
  const chaos = { undoAll: halt } as unknown as GameDayFaults;
  const fake = fakePort();
  const flow = new FaultFlow(store, chaos, { yes: false });
  vi.spyOn(flow, 'halt').mockImplementation(async () => undefined);
  const app = mount(store, () => undefined, flow, new ExperimentFlow(store, fake.port));
  return { store, app, ...fake, flow, frame: () => plain(app.lastFrame()) };
}

describe('R: experiments from the console', () => {
  it('lists the directory, each file with its title or its problem', async () => {
    const t = consoleWith();
    await press(t.app.stdin, 'R');
    await vi.waitFor(() => expect(t.frame()).toMatch(/Experiments in examples/));
    expect(t.frame()).toMatch(/› kill-api\.json — lab_web keeps answering/);
    expect(t.frame()).toMatch(/ {2}broken\.json — method: at least one activity/);
    await press(t.app.stdin, keys.down);
    expect(t.frame()).toMatch(/› broken\.json/);
    await press(t.app.stdin, keys.enter);
    expect(t.frame()).toMatch(/broken\.json: method: at least one activity/);
    expect(t.runs).toEqual([]);
    await press(t.app.stdin, keys.esc);
    expect(t.frame()).not.toMatch(/Experiments in/);
    t.app.unmount();
  });

  it('Enter runs one: its steps and verdict in the timers pane; ! halts it and undoes faults', async () => {
    const t = consoleWith();
    await press(t.app.stdin, 'R');
    await vi.waitFor(() => expect(t.frame()).toMatch(/Experiments in examples/));
    await press(t.app.stdin, keys.enter);
    expect(t.runs.map((r) => r.file)).toEqual(['kill-api.json']);
    t.runs[0]!.out.line('  ✓ Action: kill-one-api-task — done (8.10 s)');
    await vi.waitFor(() =>
      expect(t.frame()).toMatch(/Experiment running \(! halts it\): lab_web keeps answering/),
    );
    expect(t.frame()).toMatch(/✓ Action: kill-one-api-task — done/);
    // Keys still work while it runs: R says one is running.
    await press(t.app.stdin, 'R');
    expect(t.frame()).toMatch(/an experiment is running; ! halts it/);
    await press(t.app.stdin, '!');
    expect(t.runs[0]!.halted).toBe(true);
    expect(t.flow.halt).toHaveBeenCalled();
    t.runs[0]!.out.done('interrupted: rollbacks ran and every fault was undone', false);
    await vi.waitFor(() => expect(t.frame()).toMatch(/Experiment ✗ interrupted: rollbacks ran/));
    t.app.unmount();
  });

  it('at 80×24 a long title wraps under its own row, the indent kept', async () => {
    const t = consoleWith(80, 24);
    const port = t.port as { list: ExperimentPort['list'] };
    port.list = async () => [
      { file: 'a.json', title: 'short' },
      {
        file: 'login-before.json',
        title: 'Users can still log in when the API hangs (before the breaker)',
      },
    ];
    await press(t.app.stdin, 'R');
    await vi.waitFor(() => expect(t.frame()).toMatch(/Experiments in examples/));
    expect(t.frame()).toMatch(
      /\n {4}login-before\.json — Users can still log in when the API hangs \(before the\n/,
    );
    expect(t.frame()).toMatch(/\n {6}breaker\)/);
    t.app.unmount();
  });

  it('read-only consoles have no R', async () => {
    const store = seededStore(120, 40);
    store.setState({ modes: { readOnly: true, dryRun: false } });
    const app = mount(
      store,
      () => undefined,
      undefined,
      new ExperimentFlow(store, fakePort().port),
    );
    await press(app.stdin, 'R');
    expect(plain(app.lastFrame())).toMatch(/read-only: experiments are off/);
    app.unmount();
  });
});
