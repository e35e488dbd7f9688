import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../../source/docker/deadline.js';
import { EngineError } from '../../source/docker/errors.js';
import { watchSilence } from '../../source/live/silence-watch.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('an engine call with a deadline', () => {
  it('a call that hangs fails as unreachable once the deadline passed, naming the endpoint', async () => {
    const call = withDeadline(new Promise<never>(() => undefined), 15_000, 'unix:///x.sock');
    const seen = call.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(14_999);
    let settled = false;
    void seen.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await seen) as EngineError;
    expect(error).toBeInstanceOf(EngineError);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/no answer in 15 s from the Docker engine at unix:\/\/\/x\.sock/);
  });

  it('an answer or a refusal in time passes through as it is', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('no')), 1000, 'x')).rejects.toThrow('no');
  });
});

describe('the silence watch', () => {
  function setup(ping: (ms: number) => Promise<void>) {
    let heard = Date.now();
    const log: string[] = [];
    const stop = watchSilence({
      ping,
      silenceMs: 3000,
      heardAt: () => heard,
      answered: () => log.push('answered'),
      silent: (e) => log.push(`silent: ${e}`),
    });
    return { log, stop, hear: () => (heard = Date.now()) };
  }

  it('pings nothing while the engine is heard from', async () => {
    const ping = vi.fn(() => Promise.resolve());
    const { hear, stop } = setup(ping);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(2000);
      hear();
    }
    expect(ping).not.toHaveBeenCalled();
    stop();
  });

  it('a hung engine is silent within two rounds (6 s), and answered once it pings back', async () => {
    let answer: () => void = () => undefined;
    const ping = vi.fn(
      (ms: number) =>
        new Promise<void>((resolve, reject) => {
          answer = resolve;
          setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
        }),
    );
    const { log, stop } = setup(ping);
    await vi.advanceTimersByTimeAsync(6000);
    expect(ping).toHaveBeenCalledWith(3000);
    expect(log).toEqual(['silent: no answer in 3 s']);
    await vi.advanceTimersByTimeAsync(3000);
    answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-1)).toBe('answered');
    stop();
  });

  it('stops: no ping after stop', async () => {
    const ping = vi.fn(() => Promise.resolve());
    const { stop } = setup(ping);
    stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(ping).not.toHaveBeenCalled();
  });
});
