/**
 * Remembers `make`'s answer per key; forgets everything once it holds `limit` entries (cheap, and
 * bounded: a long session shows many distinct lines).
 */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(
    private readonly make: (key: string) => V,
    private readonly limit: number,
  ) {}

  get(key: string): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = this.make(key);
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(key, value);
    }
    return value;
  }
}
