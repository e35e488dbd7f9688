/** Past this many entries a cache starts again (a long session shows many distinct lines). */
const CACHE_LIMIT = 4000;

/** Remembers `make`'s answer per key; forgets everything at CACHE_LIMIT entries (cheap, bounded). */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly make: (key: string) => V) {}

  get(key: string): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = this.make(key);
      if (this.map.size >= CACHE_LIMIT) this.map.clear();
      this.map.set(key, value);
    }
    return value;
  }
}
