import { describe, expect, it } from 'vitest';
import { usageOf, type RawStats } from '../../source/docker/container-ops.js';
import type { ContainerPort } from '../../source/docker/port.js';
import type { ContainerUsage } from '../../source/domain/types.js';
import { usageCells } from '../../source/format/task-rows.js';
import { watchUsage } from '../../source/console/usage-watch.js';
import { keys, mount, plain, press, seededStore } from '../helpers/console.js';

const MIB = 1024 * 1024;

describe('usageOf: docker stats figures from one stats answer', () => {
  const raw = (over: Partial<RawStats> = {}): RawStats => ({
    cpu_stats: {
      cpu_usage: { total_usage: 2_000_000 },
      system_cpu_usage: 110_000_000,
      online_cpus: 2,
    },
    precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 100_000_000 },
    memory_stats: { usage: 30 * MIB, limit: 128 * MIB, stats: { inactive_file: 10 * MIB } },
    ...over,
  });
  it.each([
    [
      'CPU % of one CPU, memory without the page cache',
      raw(),
      { cpuPercent: 20, memoryBytes: 20 * MIB, memoryLimit: 128 * MIB },
    ],
    [
      'no previous sample: no CPU figure',
      raw({ precpu_stats: {} }),
      { memoryBytes: 20 * MIB, memoryLimit: 128 * MIB },
    ],
    [
      'cgroup v1 cache field',
      raw({ memory_stats: { usage: 30 * MIB, stats: { total_inactive_file: 5 * MIB } } }),
      { cpuPercent: 20, memoryBytes: 25 * MIB },
    ],
    [
      'CPUs counted from percpu_usage',
      raw({
        cpu_stats: {
          cpu_usage: { total_usage: 2_000_000, percpu_usage: [1, 1, 1, 1] },
          system_cpu_usage: 110_000_000,
        },
      }),
      { cpuPercent: 40, memoryBytes: 20 * MIB, memoryLimit: 128 * MIB },
    ],
    ['an empty answer', {}, { memoryBytes: 0 }],
  ])('%s', (_n, stats, usage) => expect(usageOf(stats)).toEqual(usage));
  it("a limit equal to the host's memory is no limit (docker stats reports it for unlimited containers)", () => {
    expect(usageOf(raw(), 128 * MIB)).toEqual({ cpuPercent: 20, memoryBytes: 20 * MIB });
    expect(usageOf(raw(), 4096 * MIB).memoryLimit).toBe(128 * MIB);
  });
});

describe('usageCells', () => {
  it.each([
    [undefined, { cpu: '', mem: '' }],
    [{ memoryBytes: 12 * MIB }, { cpu: '', mem: '12M' }],
    [{ memoryBytes: 0.6 * MIB }, { cpu: '', mem: '0.6M' }],
    [
      { cpuPercent: 0.01, memoryBytes: 12.4 * MIB, memoryLimit: 128 * MIB },
      { cpu: '0%', mem: '12M/128M' },
    ],
    [
      { cpuPercent: 3.25, memoryBytes: 1536 * MIB },
      { cpu: '3.3%', mem: '1.5G' },
    ],
    [
      { cpuPercent: 97.6, memoryBytes: 49.6 * MIB, memoryLimit: 50 * MIB },
      { cpu: '98%', mem: '50M/50M' },
    ],
  ] as [ContainerUsage | undefined, { cpu: string; mem: string }][])('%j → %j', (u, cells) =>
    expect(usageCells(u)).toEqual(cells),
  );
});

describe('watchUsage', () => {
  function fakePort(asked: string[]) {
    return {
      usage: async (id: string) => {
        asked.push(id);
        return { cpuPercent: 1, memoryBytes: asked.length * MIB };
      },
    } as unknown as ContainerPort;
  }
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('samples the selected service’s running containers while the tasks show; none while hidden', async () => {
    const store = seededStore(100, 30);
    const asked: string[] = [];
    const port = fakePort(asked);
    const stop = watchUsage(store, (node) => (node === 'n1' ? port : undefined), 50);
    await tick();
    // lab_web is selected: its running task only, not the failed one.
    expect(asked[0]).toBe('c-web-1');
    expect(store.getState().usage['c-web-1']).toBeDefined();
    store.getState().actions.focus('timers'); // the timers take the lower area
    await tick();
    const n = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asked.length).toBe(n);
    stop();
  });

  it('below 100 columns there are no CPU and MEM columns, and nothing is sampled', async () => {
    const store = seededStore(80, 24);
    const asked: string[] = [];
    const stop = watchUsage(store, () => fakePort(asked), 50);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asked).toEqual([]);
    store.getState().actions.resize(100, 30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asked[0]).toBe('c-web-1');
    stop();
  });

  it('a round that changes no cell on screen sets nothing (no redraw)', () => {
    const store = seededStore(100, 30);
    const a = store.getState().actions;
    a.setUsage({ c: { cpuPercent: 0.01, memoryBytes: 12.1 * MIB } });
    const before = store.getState().usage;
    a.setUsage({ c: { cpuPercent: 0.02, memoryBytes: 12.2 * MIB } });
    expect(store.getState().usage).toBe(before);
    a.setUsage({ c: { cpuPercent: 5, memoryBytes: 12.2 * MIB } });
    expect(store.getState().usage).not.toBe(before);
  });
});

describe('CPU and MEM in the tasks pane', () => {
  it('appear once stats came in: on the running task, blank on its history', async () => {
    const store = seededStore(120, 40);
    const app = mount(store);
    await press(app.stdin, keys.enter);
    expect(plain(app.lastFrame())).not.toMatch(/CPU\s+MEM/);
    store.getState().actions.setUsage({
      'c-web-1': { cpuPercent: 3.25, memoryBytes: 12 * MIB, memoryLimit: 128 * MIB },
    });
    await press(app.stdin);
    const frame = plain(app.lastFrame());
    expect(frame).toMatch(/EXIT\s+CPU\s+MEM\s+CAUSE/);
    expect(frame).toMatch(/› lab_web\.1\s+vm\s+running\s+running.*3\.3%\s+12M\/128M/);
    expect(frame).toMatch(/\\_ lab_web\.1 .*137 {2,}task: non-zero exit/);
    app.unmount();
  });
});
