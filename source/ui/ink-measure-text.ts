// Ink's measureText (ink/build/measure-text.js of ink 6.8, MIT, © Vadim Demedes), with its cache
// kept for two frames (FrameMemo) instead of for ever: Ink keys it by each text node's whole
// content, and with a pane drawn as one text each probe result or CPU sample was a new key that
// stayed for the life of the process. The bundle gives Ink this version (scripts/bundle.mjs).
import { FrameMemo } from './frame-memo.js';
import rememberedWidestLine from './ink-widest-line.js';

const dimensions = new FrameMemo<{ width: number; height: number }>(5000);

/** The cells a text takes: its widest line and its number of lines. */
export default function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  return dimensions.get(text, () => ({
    width: rememberedWidestLine(text),
    height: text.split('\n').length,
  }));
}
