import BaseDataLoader from 'dataloader';

/**
 * DataLoader whose loadMany fails as a whole when a load failed (the database gone, say),
 * where the library answers an Error in that key's place: callers that skip what is not
 * there would otherwise return partial results, or call a row missing that is not.
 * Missing rows stay what the batch function answers for them (undefined, [], null).
 */
export class DataLoader<K, V, C = K> extends BaseDataLoader<K, V, C> {
  override async loadMany(keys: ArrayLike<K>): Promise<V[]> {
    const values = await super.loadMany(keys);
    const failed = values.find((value): value is Error => value instanceof Error);
    if (failed) throw failed;
    return values as V[];
  }
}

/**
 * A DataLoader that also answers synchronously (`peek`) the values the request primed it
 * with, so that a field resolver can return the value itself rather than a promise of it:
 * a promise per field and per list item is a large share of executing a page. `peek` gives
 * what `load` would give (a key loaded before it was primed keeps its loaded value, and
 * `clear` forgets the primed one), or undefined when only `load` can tell.
 */
export class PeekableDataLoader<K, V> extends DataLoader<K, V> {
  private readonly primed = new Map<K, V>();
  private readonly cached: Map<K, Promise<V>>;

  constructor(batch: BaseDataLoader.BatchLoadFn<K, V>) {
    const cacheMap = new Map<K, Promise<V>>();
    super(batch, { cacheMap });
    this.cached = cacheMap;
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    const primable =
      !this.cached.has(key) &&
      !(value instanceof Error) &&
      typeof (value as PromiseLike<V> | null)?.then !== 'function';
    if (primable) this.primed.set(key, value as V);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.primed.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.primed.clear();
    return super.clearAll();
  }

  /** The value primed for `key`, or undefined (ask `load`). */
  peek(key: K): V | undefined {
    return this.primed.get(key);
  }
}
