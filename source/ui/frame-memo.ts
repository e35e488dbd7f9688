/** Every FrameMemo made, so that one call at the end of a frame turns them all over. */
const memos = new Set<FrameMemo<unknown>>();

/**
 * Remembers answers from one frame to the next: what this frame asked and what the last one did.
 * A line still on screen is asked again each frame and stays; one that left is forgotten a frame
 * later. Ink's own caches either live for one frame (its frame buffer) or for ever (its text
 * measurements, keyed by each text node's whole content: every new probe line a new key).
 */
export class FrameMemo<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  /** `limit`: entries a frame may add before its generation starts again (a safety bound). */
  constructor(private readonly limit: number) {
    memos.add(this as FrameMemo<unknown>);
  }

  /** The remembered answer for `key` (this frame's or the last one's), or `make()`'s. */
  get(key: string, make: () => V): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key);
    if (value === undefined) value = make();
    if (this.current.size >= this.limit) this.current.clear();
    this.current.set(key, value);
    return value;
  }

  /** The frame is drawn: what it did not ask for will not be remembered past the next. */
  turn(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

/** Ends a frame for every FrameMemo (the frame buffer calls it once its text is made). */
export function endFrame(): void {
  for (const memo of memos) memo.turn();
}
