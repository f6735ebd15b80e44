import type { TextMatcher } from './text-matcher';

/** Texts per block of typed arrays: the memo grows by blocks, never more than it holds. */
const BLOCK_TEXTS = 4_096;
/** Texts whose words are kept for reasons' sentences (a few per ranking page). */
const WORDS_ENTRIES = 10_000;

interface Block {
  counts: Uint8Array;
  indexes: Uint32Array;
  scores: Float32Array;
}

/**
 * The best matches of request texts, for rankings: each ranking reads those of the citizen's
 * last requests, and a city's requests repeat (the seeded city has 1.1 million texts and
 * 65,000 distinct ones), so each text is matched once per catalogue version. Matches are kept
 * as service indexes and scores in typed arrays, about 160 bytes a text outside the JS heap,
 * so that many texts fit; past `capacity` texts it forgets them all and starts again.
 */
export class TextMatchMemo {
  private readonly slots = new Map<string, number>();
  private readonly blocks: Block[] = [];
  private readonly words = new Map<string, string[]>();

  constructor(
    private readonly matcher: TextMatcher,
    private readonly capacity: number,
    private readonly limit: number,
  ) {
    if (limit > 255) throw new RangeError('at most 255 matches per text');
  }

  /** Calls `visit` with each of the best matches of `text`, best first. */
  forEach(text: string, visit: (serviceIndex: number, score: number) => void): void {
    const slot = this.slots.get(text) ?? this.remember(text);
    const block = this.blocks[Math.floor(slot / BLOCK_TEXTS)];
    const offset = (slot % BLOCK_TEXTS) * this.limit;
    const count = block.counts[slot % BLOCK_TEXTS];
    for (let i = 0; i < count; i += 1) visit(block.indexes[offset + i], block.scores[offset + i]);
  }

  /** The words of `text` that the service at `serviceIndex` contains, for a reason's sentence. */
  matchedTerms(text: string, serviceIndex: number): string[] {
    let words = this.words.get(text);
    if (!words) {
      if (this.words.size >= WORDS_ENTRIES) this.words.clear();
      this.words.set(text, (words = this.matcher.words(text)));
    }
    return this.matcher.termsOf(words, serviceIndex);
  }

  private remember(text: string): number {
    if (this.slots.size >= this.capacity) this.slots.clear();
    const slot = this.slots.size;
    const blockIndex = Math.floor(slot / BLOCK_TEXTS);
    const block = (this.blocks[blockIndex] ??= {
      counts: new Uint8Array(BLOCK_TEXTS),
      indexes: new Uint32Array(BLOCK_TEXTS * this.limit),
      scores: new Float32Array(BLOCK_TEXTS * this.limit),
    });
    const matches = this.matcher.rank(text, { limit: this.limit });
    const offset = (slot % BLOCK_TEXTS) * this.limit;
    block.counts[slot % BLOCK_TEXTS] = matches.length;
    matches.forEach((match, i) => {
      block.indexes[offset + i] = match.index;
      block.scores[offset + i] = match.score;
    });
    this.slots.set(text, slot);
    return slot;
  }
}
