/**
 * Remembers an answer per key; forgets everything once it holds `limit` entries (cheap, and
 * bounded: a long session shows many distinct lines).
 */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  /** The remembered answer for `key`, or `make()`'s, remembered. */
  get(key: string, make: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = make();
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(key, value);
    }
    return value;
  }
}
