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
