import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../source/domain/types.js';
import { CauseFacts } from '../../source/game-day/cause-facts.js';
import type { GameDay, SessionChange } from '../../source/game-day/game-day.js';
import { createDeckStore } from '../../source/store/deck-store.js';
import { linkGameDay } from '../../source/console/game-day-link.js';

// The part of a game day the link reads: its changes and its container facts (a real record).
class Session {
  private readonly listeners = new Set<(change: SessionChange) => void>();
  readonly causes = new CauseFacts(() => this.emit({ type: 'facts' }));
  subscribe(listener: (change: SessionChange) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  containerFacts() {
    return this.causes.all();
  }
  emit(change: SessionChange) {
    for (const l of this.listeners) l(change);
  }
}

const kill = (id: string, time = 1): EngineEvent => ({
  type: 'container',
  action: 'kill',
  id,
  time,
  signal: 'SIGKILL',
});

describe('the console mirrors the session', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows the session's container facts: the first at once, a burst's rest 50 ms later", () => {
    const session = new Session();
    const store = createDeckStore({});
    const stop = linkGameDay(store, session as unknown as GameDay);
    session.causes.note(kill('c1'));
    expect(store.getState().facts).toEqual({ c1: { killSignal: 'SIGKILL' } });
    session.causes.note(kill('c2'));
    session.causes.markChaosdeck('c3', 'kill', 'SIGTERM');
    expect(Object.keys(store.getState().facts)).toEqual(['c1']);
    vi.advanceTimersByTime(50);
    expect(store.getState().facts).toEqual({
      c1: { killSignal: 'SIGKILL' },
      c2: { killSignal: 'SIGKILL' },
      c3: { killedByChaosdeck: true, killSignal: 'SIGTERM' },
    });
    stop();
  });

  it('drops what is pending once stopped, and hears no more', () => {
    const session = new Session();
    const store = createDeckStore({});
    const stop = linkGameDay(store, session as unknown as GameDay);
    session.causes.note(kill('c1'));
    session.causes.note(kill('c2'));
    stop();
    vi.advanceTimersByTime(1000);
    session.causes.note(kill('c3'));
    expect(Object.keys(store.getState().facts)).toEqual(['c1']);
  });

  it('shows the fault windows the session tells of', () => {
    const session = new Session();
    const store = createDeckStore({});
    linkGameDay(store, session as unknown as GameDay);
    const window = { id: 'w1', label: 'delay', start: 5 };
    session.emit({ type: 'window', window });
    expect(store.getState().windows).toEqual([window]);
  });
});
