// Ink measures the widest line of every text node on every frame (widest-line: string-width on
// each line); the bundle gives Ink this remembering version instead (scripts/bundle.mjs), and the
// frame buffer (ink-output.ts) measures clipped writes with it too.
import widestLine from 'widest-line';
import { BoundedMemo } from './bounded-memo.js';

const widest = new BoundedMemo<number>(1000);

/** widest-line's answer for `text`, computed once while remembered. */
export default function rememberedWidestLine(text: string): number {
  return widest.get(text, () => widestLine(text));
}
