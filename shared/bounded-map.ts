/**
 * A Map that holds at most `max` entries: setting a key moves it to the end, and setting a new one
 * when full drops the oldest. The memory bound of a per-instance cache, as instances live long and
 * anyone on the internet can send new keys. Written here rather than taken from an LRU package: it
 * is the five lines below, and each module loaded costs the cold start (README, Performance).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    this.delete(key);
    if (this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
