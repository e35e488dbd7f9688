import { render } from 'ink';
import type { LatencySample } from '../domain/latency.js';
import { startProbes, type Probe } from '../live/probe-runner.js';
import { debounce, startTicker } from '../live/ticker.js';
import type { DeckStore } from '../store/deck-store.js';
import type { ExperimentFlow } from '../console/experiment-flow.js';
import type { FaultFlow } from '../console/fault-flow.js';
import { App } from '../ui/App.js';
import { DeckContext } from '../ui/context.js';
import type { Shutdown } from './shutdown.js';
import { enterAlternateScreen } from './terminal.js';

/** What the console needs from the entry. */
export interface ConsoleOptions {
  store: DeckStore;
  flow?: FaultFlow;
  /** `R`: experiments; absent in read-only consoles. */
  experiments?: ExperimentFlow;
  /** User-action probes, sampled every probeIntervalMs. */
  probes?: Probe[];
  probeIntervalMs?: number;
  /** Every probe sample, for the run's journal. */
  onSample?: (sample: LatencySample) => void;
  shutdown: Shutdown;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * Runs the live console until the user quits; resolves when the console asks to exit.
 * Every resource it starts is registered with the shutdown, which the caller runs.
 */
export function runConsole(options: ConsoleOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const { shutdown, store } = options;
  store.getState().actions.resize(stdout.columns || 80, stdout.rows || 24);

  const restoreScreen = enterAlternateScreen(stdout);
  shutdown.add('terminal', restoreScreen);

  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));

  const instance = render(
    <DeckContext.Provider value={store}>
      <App
        onQuit={() => quit()}
        {...(options.flow ? { flow: options.flow } : {})}
        {...(options.experiments ? { experiments: options.experiments } : {})}
      />
    </DeckContext.Provider>,
    // Incremental rendering sends only changed lines: less to push over a slow SSH link.
    {
      stdout,
      stdin,
      exitOnCtrlC: false,
      maxFps: 30,
      patchConsole: true,
      incrementalRendering: true,
    },
  );
  shutdown.add('ui', () => {
    instance.unmount();
    instance.cleanup();
  });

  // Re-layout on resize, once the terminal has settled.
  const onResize = debounce(() => {
    store.getState().actions.resize(stdout.columns || 80, stdout.rows || 24);
  }, 80);
  stdout.on('resize', onResize.call);
  shutdown.add('resize', () => {
    stdout.off('resize', onResize.call);
    onResize.cancel();
  });

  shutdown.add(
    'clock',
    startTicker(() => store.getState().actions.tick(Date.now()), 1000),
  );
  if (options.probes?.length) {
    shutdown.add(
      'probes',
      startProbes(options.probes, options.probeIntervalMs ?? 1000, (sample) => {
        store.getState().actions.addSample(sample);
        options.onSample?.(sample);
      }),
    );
  }
  return quitting;
}
