import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { undoRetryMs } from '../../source/chaos/controller.js';
import type { Ledger } from '../../source/chaos/ledger.js';
import type { FaultRecord } from '../../source/domain/fault.js';
import { EngineError } from '../../source/docker/errors.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';

/** A ledger in memory: the file's locks and fsyncs run on real time, these tests on fake time. */
function memoryLedger(): Ledger {
  let entries: FaultRecord[] = [];
  return {
    list: () => entries,
    add: async (r: FaultRecord) => void (entries = [...entries, { ...r }]),
    update: async (id: string, patch: Partial<FaultRecord>) =>
      void (entries = entries.map((e) => (e.id === id ? { ...e, ...patch } : e))),
    remove: async (id: string) => void (entries = entries.filter((e) => e.id !== id)),
  } as unknown as Ledger;
}

describe('a failed undo is tried again while chaosdeck runs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [4, 16_000],
    [5, 30_000],
    [12, 30_000],
  ])('retry %i waits %i ms', (attempt, ms) => expect(undoRetryMs(attempt)).toBe(ms));

  it('a window that ends while the engine is out of reach is undone once it answers, and said', async () => {
    const warnings: string[] = [];
    const ledger = memoryLedger();
    const { chaos, port, log } = controllerSetup(false, {
      onWarning: (m) => warnings.push(m),
      ledger,
    });
    const unpause = port.unpause.bind(port);
    let reachable = true;
    port.unpause = (id) =>
      reachable ? unpause(id) : Promise.reject(new EngineError('unreachable', 'no answer in 15 s'));
    await chaos.run({ kind: 'pause', target, params: { duration: '10s' } });
    reachable = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(chaos.list().map((r) => r.status)).toEqual(['undo-failed']);
    expect(ledger.list().map((r) => r.status)).toEqual(['undo-failed']);
    expect(warnings.at(-1)).toMatch(
      /undo of pause .* failed, trying again in 2 s: no answer in 15 s/,
    );
    await vi.advanceTimersByTimeAsync(2000);
    expect(warnings.at(-1)).toMatch(/trying again in 4 s/);
    reachable = true;
    await vi.advanceTimersByTimeAsync(4000);
    expect(log.at(-1)).toBe('unpause c1');
    expect(chaos.list()).toEqual([]);
    expect(ledger.list()).toEqual([]);
  });

  it('is not retried on the way out (the exit says what is left)', async () => {
    const { chaos } = controllerSetup(true, { ledger: memoryLedger() });
    await chaos.run({ kind: 'pause', target, params: {} });
    const summary = await chaos.close();
    expect(summary.failed).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
