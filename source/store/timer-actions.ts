import type { LatencySample } from '../domain/latency.js';
import type { DeckActions, DeckState, GameDayRecord } from './state.js';

// An hour of five probes at one a second.
const SAMPLES_KEPT = 20_000;

type SetState = (partial: Partial<DeckState> | ((s: DeckState) => Partial<DeckState>)) => void;

/** The timers' actions: probe samples, fault windows and the manual stopwatch. */
export function timerActions(
  set: SetState,
  recorder?: GameDayRecord,
): Pick<DeckActions, 'addSample' | 'upsertWindow' | 'toggleLap'> {
  return {
    addSample: (sample) =>
      set((s) => ({ samples: [...s.samples.slice(-(SAMPLES_KEPT - 1)), sample] })),
    upsertWindow: (w) =>
      set((s) => {
        const existing = s.windows.find((x) => x.id === w.id);
        if (!existing) return { windows: [...s.windows, w] };
        return {
          windows: s.windows.map((x) =>
            // An undo closes a window; a kill's reopens until Swarm has converged (end: undefined).
            x.id === w.id ? { ...x, ...('end' in w ? { end: w.end } : {}) } : x,
          ),
        };
      }),
    toggleLap: (now) => {
      let lap: LatencySample | undefined;
      set((s) => {
        const { lapStart, action } = s.stopwatch;
        if (lapStart === undefined) return { stopwatch: { ...s.stopwatch, lapStart: now }, now };
        lap = { name: action, at: lapStart, ms: now - lapStart, ok: true, manual: true };
        return { samples: [...s.samples, lap], stopwatch: { action }, now };
      });
      // Written as it happens: a lap is part of the game day's record.
      if (lap) recorder?.recordSample(lap, 'lap');
    },
    // A new recovery starts its clock at once: the minute-only clock may be seconds behind.
  };
}
