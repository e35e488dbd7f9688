// Render time and memory with 1 000 services / 5 000 tasks of generated domain data.
// Usage: npx tsx bench/render-scale.tsx   (prints JSON; docs/benchmarks.md keeps the figures)
import { render } from 'ink';
import { createDeckStore } from '../source/store/deck-store.js';
import { App } from '../source/ui/App.js';
import { DeckContext } from '../source/ui/context.js';
import type { Service, Task } from '../source/domain/types.js';
import { percentile } from './stats.js';
import { fakeTerminal } from './terminal.js';

const SERVICES = 1000;
const TASKS = 5000;
const baselineRss = process.memoryUsage().rss;
const now = Date.now();
const services: Service[] = Array.from({ length: SERVICES }, (_, i) => ({
  id: `s${i}`,
  name: `stack${i % 37}_service-${i}`,
  mode: i % 10 === 0 ? 'global' : 'replicated',
  desired: 5,
  running: i % 13 === 0 ? 4 : 5,
  image: `registry.example/team/app-${i % 50}:1.${i % 9}`,
  ports: i % 4 === 0 ? [{ target: 8080, published: 20000 + i, protocol: 'tcp', mode: 'host' }] : [],
  labels: {},
  hasHealthcheck: i % 2 === 0,
  restartDelayMs: 5000,
}));
const tasks: Task[] = Array.from({ length: TASKS }, (_, i) => ({
  id: `t${i}`,
  serviceId: `s${i % SERVICES}`,
  slot: Math.floor(i / SERVICES) + 1,
  nodeId: `n${i % 20}`,
  desiredState: i % 11 === 0 ? 'shutdown' : 'running',
  state: i % 11 === 0 ? 'failed' : 'running',
  stateSince: now - i * 1000,
  createdAt: now - i * 1000,
  message: 'started',
  ...(i % 11 === 0 ? { error: 'task: non-zero exit (137)', exitCode: 137 } : {}),
  containerId: `c${i}`,
}));

const { stdout, stdin } = fakeTerminal(120, 40);
stdout.on('data', () => undefined);

const store = createDeckStore({ size: { columns: 120, rows: 40 }, color: true });
store.getState().actions.setSwarm({ services, tasks, nodes: [], at: now });
const frameTimes: number[] = [];
const instance = render(
  <DeckContext.Provider value={store}>
    <App onQuit={() => undefined} />
  </DeckContext.Provider>,
  {
    stdout,
    stdin,
    maxFps: 1000,
    patchConsole: false,
    onRender: ({ renderTime }) => frameTimes.push(renderTime),
  },
);

// Each step changes what is on screen: a move, a tick of the clock, a new task list.
const timings: number[] = [];
for (let i = 0; i < 200; i++) {
  const start = performance.now();
  const a = store.getState().actions;
  if (i % 3 === 0) a.move(1);
  else if (i % 3 === 1) a.tick(now + i * 1000);
  else
    a.setSwarm({
      tasks: tasks.map((t, j) => (j === i ? { ...t, state: 'preparing' } : t)),
      at: now + i,
    });
  instance.rerender(
    <DeckContext.Provider value={store}>
      <App onQuit={() => undefined} />
    </DeckContext.Provider>,
  );
  await new Promise((resolve) => setImmediate(resolve));
  timings.push(performance.now() - start);
}
instance.unmount();
globalThis.gc?.();
const memory = process.memoryUsage();
const rssMb = memory.rss / 1024 / 1024;
console.log(
  JSON.stringify({
    bench: 'render-scale',
    services: SERVICES,
    tasks: TASKS,
    frames: timings.length,
    update_to_frame_ms: {
      p50: percentile(timings, 50),
      p95: percentile(timings, 95),
      max: Math.max(...timings),
    },
    ink_render_ms_p95: percentile(frameTimes, 95),
    rss_mb: Math.round(rssMb),
    rss_before_data_mb: Math.round(baselineRss / 1024 / 1024),
    heap_used_mb: Math.round(memory.heapUsed / 1024 / 1024),
  }),
);
process.exit(0);
