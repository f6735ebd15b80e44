/**
 * A read-only count per word for many words (a dictionary's frequencies), kept as one string of
 * the words and typed arrays (offsets, counts and an open-addressing hash table), instead of a
 * Map of as many strings: a handful of heap objects however many words, so that it adds nothing
 * to what every full garbage collection has to mark, and its arrays live outside the JS heap.
 * Lookups allocate nothing.
 */
export class WordCounts {
  private readonly text: string;
  /** Word i is text[starts[i], starts[i + 1]). */
  private readonly starts: Uint32Array;
  private readonly counts: Float64Array;
  /** Word index + 1 by hash slot (0: empty); a power of two at least twice the words. */
  private readonly slots: Int32Array;

  /** `entries`: words and their counts; a word given twice keeps its last count. */
  constructor(entries: Iterable<readonly [string, number]>) {
    const unique = new Map<string, number>();
    for (const [word, count] of entries) unique.set(word, count);
    const words = [...unique.keys()];
    this.text = words.join('');
    this.starts = new Uint32Array(words.length + 1);
    this.counts = new Float64Array(words.length);
    let size = 2;
    while (size < 2 * words.length) size *= 2;
    this.slots = new Int32Array(size);
    let at = 0;
    words.forEach((word, i) => {
      this.starts[i] = at;
      at += word.length;
      this.counts[i] = unique.get(word)!;
      let slot = hashOf(word) & (size - 1);
      while (this.slots[slot] !== 0) slot = (slot + 1) & (size - 1);
      this.slots[slot] = i + 1;
    });
    this.starts[words.length] = at;
  }

  get size(): number {
    return this.counts.length;
  }

  /** The word's count, undefined for a word not counted. */
  get(word: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(word) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return undefined;
      if (this.holds(entry - 1, word)) return this.counts[entry - 1];
    }
  }

  has(word: string): boolean {
    return this.get(word) !== undefined;
  }

  private holds(index: number, word: string): boolean {
    const start = this.starts[index];
    if (this.starts[index + 1] - start !== word.length) return false;
    for (let i = 0; i < word.length; i += 1) if (this.text.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
    return true;
  }
}

/** FNV-1a over the UTF-16 code units, as a 32-bit integer. */
function hashOf(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i += 1) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
