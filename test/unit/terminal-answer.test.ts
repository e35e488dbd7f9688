import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchTerminalAnswers } from '../../source/entry/terminal-answer.js';

const TIMING = { askEveryMs: 1_000, silentMs: 3_000 };

/** A terminal: stdin Ink reads on 'readable', stdout that records the requests. */
function terminal() {
  const stdin = new EventEmitter() as unknown as NodeJS.ReadStream;
  const written: string[] = [];
  const stdout = { write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  return { stdin, stdout, written, answer: () => stdin.emit('data', Buffer.from('\u001B[0n')) };
}

/** A terminal Ink already reads (its 'readable' listener), watched. */
function watchedWithInk() {
  const t = terminal();
  const lost = vi.fn();
  t.stdin.on('readable', () => undefined);
  const stop = watchTerminalAnswers(t.stdin, t.stdout, lost, TIMING, Date.now);
  return { t, lost, stop };
}

describe('a console in a container asks its terminal whether it is there', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks nothing and takes nothing from stdin until Ink reads it', () => {
    const t = terminal();
    const stop = watchTerminalAnswers(t.stdin, t.stdout, () => undefined, TIMING, Date.now);
    vi.advanceTimersByTime(5_000);
    expect(t.written).toEqual([]);
    expect(t.stdin.listenerCount('data')).toBe(0);
    stop();
  });

  it('a terminal that keeps answering is never lost', () => {
    const { t, lost, stop } = watchedWithInk();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(1_000);
      t.answer();
    }
    expect(lost).not.toHaveBeenCalled();
    expect(t.written.length).toBeGreaterThanOrEqual(20);
    expect(new Set(t.written)).toEqual(new Set(['\u001B[5n']));
    stop();
  });

  it('one that stops answering is lost once, after the silence', () => {
    const { t, lost, stop } = watchedWithInk();
    vi.advanceTimersByTime(0);
    t.answer();
    vi.advanceTimersByTime(3_000);
    expect(lost).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(lost.mock.calls[0]![0]).toMatch(/stopped answering/);
    vi.advanceTimersByTime(10_000);
    expect(lost).toHaveBeenCalledTimes(1);
    stop();
  });

  it('one that never answered is never taken for gone', () => {
    const { t, lost, stop } = watchedWithInk();
    vi.advanceTimersByTime(60_000);
    expect(lost).not.toHaveBeenCalled();
    stop();
    expect(t.stdin.listenerCount('data')).toBe(0);
  });
});
