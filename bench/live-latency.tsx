// Time to first full frame and event → frame latency against the lab swarm.
// Usage (lab up): npm run -s bench:build && node bench/.build/bench/live-latency.js
import { execFileSync } from 'node:child_process';
import { render } from 'ink';
import { DockerEngine } from '../source/docker/client.js';
import { parseEndpoint } from '../source/docker/endpoint.js';
import { createDeckStore } from '../source/store/deck-store.js';
import { startLiveSync } from '../source/console/live-sync.js';
import { App } from '../source/ui/App.js';
import { DeckContext } from '../source/ui/context.js';
import { percentile } from './stats.js';
import { fakeTerminal } from './terminal.js';

const SAMPLES = Number(process.env.SAMPLES ?? 20);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

// Frames as Ink writes them, with the time each was written.
const frames: { at: number; text: string }[] = [];
const { stdout, stdin } = fakeTerminal(120, 40);
stdout.on('data', (chunk: Buffer) => frames.push({ at: Date.now(), text: chunk.toString('utf8') }));

const waitFrame = (match: (text: string) => boolean, from: number, timeoutMs = 10_000) =>
  new Promise<number>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      const hit = frames.slice(from).find((f) => match(f.text));
      if (hit) resolve(hit.at);
      else if (Date.now() > deadline) reject(new Error('no such frame in time'));
      else setTimeout(check, 2);
    };
    check();
  });

const engine = await DockerEngine.connect(parseEndpoint(undefined, process.env));
const info = await engine.info();
const store = createDeckStore({ size: { columns: 120, rows: 40 }, color: false });
store.getState().actions.setEngine(info);
const events = new Map<string, number>();
const stop = startLiveSync(store, {
  port: engine,
  containerPort: (id) => (id === info.nodeId ? engine : undefined),
  onEvent: (e) => {
    if (e.type === 'container' && (e.action === 'pause' || e.action === 'unpause'))
      events.set(`${e.action}:${e.id}`, e.time);
  },
});
const instance = render(
  <DeckContext.Provider value={store}>
    <App onQuit={() => undefined} />
  </DeckContext.Provider>,
  { stdout, stdin, maxFps: 15, patchConsole: false, incrementalRendering: true },
);
const firstFrameAt = await waitFrame(
  (t) => t.includes('● live') && t.includes('lab_worker') && t.includes('Health of'),
  0,
);
const firstFrameMs = firstFrameAt - performance.timeOrigin;

// Select lab_db and its task: the health pane shows the container's state.
const a = store.getState().actions;
a.editFilter('lab_db');
a.focus('tasks');
const cid = docker('ps', '-q', '--no-trunc', '-f', 'label=com.docker.swarm.service.name=lab_db');
const latencies: number[] = [];
try {
  for (let i = 0; i < SAMPLES; i++) {
    for (const action of ['pause', 'unpause'] as const) {
      const from = frames.length;
      docker(action, cid);
      const shownAt = await waitFrame(
        (t) => (action === 'pause' ? /paused for|· paused/.test(t) : /running for/.test(t)),
        from,
      );
      const eventAt = events.get(`${action}:${cid}`);
      if (eventAt) latencies.push(shownAt - eventAt);
    }
  }
} finally {
  try {
    docker('unpause', cid);
  } catch {
    // Already running.
  }
}
stop();
instance.unmount();
console.log(
  JSON.stringify({
    bench: 'live-latency',
    first_full_frame_ms: Math.round(firstFrameMs),
    event_to_frame_ms: {
      samples: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: Math.max(...latencies),
    },
  }),
);
process.exit(0);
