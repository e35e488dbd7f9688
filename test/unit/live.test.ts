import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../source/domain/types.js';
import { startAdaptivePoller } from '../../source/live/adaptive-poller.js';
import { watchEvents, type StreamState } from '../../source/live/event-watch.js';
import { sameSet } from '../../source/live/sync-plan.js';
import { batchEvery } from '../../source/live/ticker.js';
import { isConverging } from '../../source/console/live-sync.js';
import { service, task } from '../helpers/fixtures.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('adaptive poller', () => {
  it('polls fast while converging and slow when calm, and stops', async () => {
    const times: number[] = [];
    let converging = true;
    const poller = startAdaptivePoller({
      poll: async () => {
        times.push(Date.now());
        return converging;
      },
      fastMs: 500,
      slowMs: 2000,
    });
    await vi.advanceTimersByTimeAsync(1100);
    expect(times.length).toBe(3); // 0, 500, 1000
    converging = false;
    await vi.advanceTimersByTimeAsync(500); // poll at 1500 says calm
    const before = times.length;
    await vi.advanceTimersByTimeAsync(1800); // t=3400: the calm poll is due at 3500
    expect(times.length).toBe(before);
    await vi.advanceTimersByTimeAsync(100);
    expect(times.length).toBe(before + 1);
    poller.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(times.length).toBe(before + 1);
  });

  it('a kick pulls the next poll forward and a burst of kicks makes one poll', async () => {
    let polls = 0;
    const poller = startAdaptivePoller({
      poll: async () => (polls++, false),
      slowMs: 2000,
      kickDelayMs: 25,
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(polls).toBe(1);
    poller.kick();
    poller.kick();
    poller.kick();
    await vi.advanceTimersByTimeAsync(30);
    expect(polls).toBe(2);
    poller.stop();
  });

  it('keeps polling at the calm interval after a failed poll', async () => {
    const errors: unknown[] = [];
    let polls = 0;
    const poller = startAdaptivePoller({
      poll: async () => {
        polls++;
        throw new Error('daemon gone');
      },
      slowMs: 1000,
      onError: (e) => errors.push(e),
    });
    await vi.advanceTimersByTimeAsync(2100);
    expect(polls).toBe(3);
    expect(errors).toHaveLength(3);
    poller.stop();
  });
});

describe('event watch', () => {
  it('reconnects with growing backoff after drops and says so', async () => {
    const states: StreamState[] = [];
    const events: EngineEvent[] = [];
    let connects = 0;
    let drop: ((e?: Error) => void) | undefined;
    const port = {
      streamEvents: async (onEvent: (e: EngineEvent) => void, onEnd: (e?: Error) => void) => {
        connects++;
        if (connects === 2 || connects === 3) throw new Error('connect ECONNREFUSED');
        drop = onEnd;
        onEvent({ type: 'service', action: 'update', id: 's', time: 0 });
        return { stop: () => undefined };
      },
    };
    const stop = watchEvents(port, {
      onEvent: (e) => events.push(e),
      onState: (s) => states.push(s),
      initialBackoffMs: 100,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ state: 'live' });
    drop!(new Error('unexpected EOF'));
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(100); // attempt 2 fails
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 2 });
    await vi.advanceTimersByTimeAsync(199);
    expect(connects).toBe(2);
    await vi.advanceTimersByTimeAsync(1); // attempt 3 after 200 ms fails
    expect(connects).toBe(3);
    await vi.advanceTimersByTimeAsync(400); // attempt 4 after 400 ms succeeds
    expect(connects).toBe(4);
    expect(states.at(-1)).toEqual({ state: 'live' });
    expect(events).toHaveLength(2);
    stop();
  });
});

describe('isConverging', () => {
  it.each([
    [
      'all at desired, all running',
      [service({ id: 's', name: 'svc' })],
      [task({ id: 't', serviceId: 's' })],
      false,
    ],
    ['a service below desired', [service({ id: 's', name: 'svc', running: 0 })], [], true],
    [
      'a task on its way to running',
      [service({ id: 's', name: 'svc' })],
      [task({ id: 't', serviceId: 's', state: 'preparing' })],
      true,
    ],
    ['a rolling update', [service({ id: 's', name: 'svc', updateState: 'updating' })], [], true],
    [
      'an old failed task only',
      [service({ id: 's', name: 'svc' })],
      [task({ id: 't', serviceId: 's', state: 'failed', desiredState: 'shutdown' })],
      false,
    ],
  ])('%s → %s', (_name, services, tasks, expected) =>
    expect(isConverging(services, tasks)).toBe(expected),
  );
});

describe('batchEvery', () => {
  afterEach(() => vi.useRealTimers());

  it('hands the first item over at once and the ones in the next window together', () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const b = batchEvery<number>((items) => batches.push(items), 50);
    b.push(1);
    expect(batches).toEqual([[1]]);
    b.push(2);
    b.push(3);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([[1], [2, 3]]);
    // Quiet for longer than the window: the next one goes at once again.
    vi.advanceTimersByTime(100);
    b.push(4);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('stop drops what is pending', () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const b = batchEvery<number>((items) => batches.push(items), 50);
    b.push(1);
    b.push(2);
    b.stop();
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[1]]);
  });
});

describe('sameSet', () => {
  it.each([
    ['no set before', undefined, ['a'], false],
    ['the same ids', ['a', 'b'], ['b', 'a'], true],
    ['one more', ['a'], ['a', 'b'], false],
    ['one other', ['a', 'c'], ['a', 'b'], false],
    ['both empty', [], [], true],
  ])('%s', (_, a, b, same) => expect(sameSet(a && new Set(a), new Set(b))).toBe(same));
});
