import { useInput } from 'ink';
import { inputMode } from '../store/selectors.js';
import { dispatchKey, type KeyTargets } from './key-dispatch.js';
import { splitBurst } from './keymap.js';
import type { ScreenLayout } from './layout.js';

/**
 * The console's keys: every press (a burst of typed keys split into single presses, outside text
 * entry) goes to the one input mode the store holds (ui/key-dispatch.ts).
 */
export function useConsoleKeys(targets: KeyTargets, layout: ScreenLayout): void {
  useInput((input, key) => {
    const textEntry = !['normal', 'help', 'logs'].includes(inputMode(targets.store.getState()));
    for (const [one, flags] of splitBurst(input, key, textEntry))
      dispatchKey(targets, layout, one, flags);
  });
}
