// Ink measures the widest line of every text node on every frame (widest-line: string-width on
// each line); the bundle gives Ink this remembering version instead (scripts/bundle.mjs), and the
// frame buffer (ink-output.ts) measures clipped writes with it too.
import widestLine from 'widest-line';
import { FrameMemo } from './frame-memo.js';

const widest = new FrameMemo<number>(5000);

/** widest-line's answer for `text`, computed once while it is on screen. */
export default function rememberedWidestLine(text: string): number {
  return widest.get(text, () => widestLine(text));
}
