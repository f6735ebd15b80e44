// Small in-process caches, independent of any module.

/**
 * A map that forgets everything when it grows past its size, in entries or in the characters
 * of its keys (keys written by callers, such as their texts, must not fill the heap): results
 * are cheap to redo.
 */
export class BoundedMemo {
  private readonly entries = new Map<string, unknown>();
  private keyCharacters = 0;
  constructor(
    private readonly limit: number,
    private readonly keyCharacterLimit = Infinity,
  ) {}

  get<T>(key: string, compute: () => T): T {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    if (this.entries.size >= this.limit || this.keyCharacters + key.length > this.keyCharacterLimit) {
      this.entries.clear();
      this.keyCharacters = 0;
    }
    const value = compute();
    this.entries.set(key, value);
    this.keyCharacters += key.length;
    return value;
  }
}

/**
 * Results kept for a few seconds per key; concurrent callers share one computation. Past its
 * time a result is still given while one caller's refresh runs (stale while revalidating), so
 * that no ranking waits for a refresh: results are at most the time plus one refresh old.
 * With a `spread` (0 to 1), each result's time is drawn from ttl × (1 ± spread / 2): results
 * computed together (a fresh process's first seconds) are then not all refreshed together.
 */
export class ExpiringMemo<T> {
  private readonly entries = new Map<
    string,
    { expiresAt: number; value: Promise<T>; ready: boolean; refreshing: boolean }
  >();
  /** `ttlMs`: a time, or a function read each time a result is stored (a time that depends on the data's state). */
  constructor(
    private readonly ttlMs: number | (() => number),
    private readonly limit: number,
    private readonly spread = 0,
  ) {}

  private expiry(from: number): number {
    const ttl = typeof this.ttlMs === 'number' ? this.ttlMs : this.ttlMs();
    return from + ttl * (1 + this.spread * (Math.random() - 0.5));
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && (now < entry.expiresAt || entry.refreshing)) return entry.value;
    if (entry?.ready) {
      entry.refreshing = true;
      const next = compute();
      next.then(
        () =>
          this.entries.set(key, { expiresAt: this.expiry(Date.now()), value: next, ready: true, refreshing: false }),
        () => (entry.refreshing = false),
      );
      return entry.value;
    }
    if (this.entries.size >= this.limit) this.entries.clear();
    const value = compute();
    const created = { expiresAt: this.expiry(now), value, ready: false, refreshing: false };
    this.entries.set(key, created);
    value.then(
      () => (created.ready = true),
      () => this.entries.get(key) === created && this.entries.delete(key),
    );
    return value;
  }
}
