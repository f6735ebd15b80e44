/**
 * Chinese text read as overlapping pairs of characters: evidence of a need that does not depend
 * on how jieba cuts the words. "房东赶我走" and the phrase "房东要赶我出去" share 房东 and 赶我
 * although they share few whole words; a word the segmenter keeps whole in one text (退休金) and
 * cuts in another (退休 了 钱) still shares its pairs. Only runs of Han characters are read; a
 * lone character counts as itself.
 */

/** A character pair (or a lone character) of a text, where it is in the text. */
export interface Gram {
  gram: string;
  start: number;
  end: number;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z]{4,}/g;
/** Latin words are read by their first letters: retire, retired, retirement and retiring share "retir". */
const LATIN_STEM = 5;

/** The character pairs of already normalised text, with their offsets (UTF-16, as the text's). */
export function gramsOf(normalized: string): Gram[] {
  const grams: Gram[] = [];
  for (const run of normalized.matchAll(HAN_RUN)) {
    const chars = [...run[0]];
    const at = run.index;
    if (chars.length === 1) grams.push({ gram: chars[0], start: at, end: at + chars[0].length });
    let offset = at;
    for (let i = 0; i + 1 < chars.length; i++) {
      const gram = chars[i] + chars[i + 1];
      grams.push({ gram, start: offset, end: offset + gram.length });
      offset += chars[i].length;
    }
  }
  for (const word of normalized.matchAll(LATIN_WORD)) {
    grams.push({ gram: word[0].slice(0, LATIN_STEM), start: word.index, end: word.index + word[0].length });
  }
  return grams;
}

/** A phrase of a class, with how much it counts (a service's title counts less than a citizen's words). */
export interface WeightedPhrase {
  text: string;
  weight: number;
}

export interface GramMatch {
  /** 0–1: the rarity-weighted share of the text's known pairs that the class's phrases use. */
  similarity: number;
  /** The pairs of the text the class's phrases use. */
  grams: Gram[];
}

/** How many weighted phrases of a class must use a pair for it to count fully. */
const FULL_SUPPORT = 2;
/** A text whose known pairs weigh less than this is too short to say much: its similarity shrinks. */
const FULL_EVIDENCE = 4;

/**
 * Character-pair profiles of classes (here: needs), each from its weighted phrases. A text's
 * similarity to a class is the sum, over the text's pairs that any class uses, of the pair's
 * rarity ln(1 + N / df) / ln(1 + N) times the square root of the class's support for it (the
 * weight of its phrases that use it, up to FULL_SUPPORT), over the rarity of all those pairs;
 * shrunk for texts whose known pairs weigh less than FULL_EVIDENCE. Pure and deterministic.
 */
export class GramProfiles {
  /**
   * Each pair's number, and by number its rarity and the classes using it with their support
   * (`postingClass`/`postingSupport` from `postingStart[g]` to `postingStart[g + 1]`), in typed
   * arrays: as a Map of posting objects they kept 6 MB of the heap of every process that
   * understands requests.
   */
  private readonly gramNumbers = new Map<string, number>();
  private readonly rarity: Float64Array;
  private readonly postingStart: Int32Array;
  private readonly postingClass: Int32Array;
  private readonly postingSupport: Float64Array;

  constructor(readonly classes: readonly { code: string; phrases: readonly WeightedPhrase[] }[]) {
    const classesOfGram = new Map<string, { index: number; support: number }[]>();
    classes.forEach(({ phrases }, index) => {
      const support = new Map<string, number>();
      for (const phrase of phrases) {
        for (const gram of new Set(gramsOf(phrase.text).map((g) => g.gram))) {
          support.set(gram, (support.get(gram) ?? 0) + phrase.weight);
        }
      }
      for (const [gram, weight] of support) {
        const list = classesOfGram.get(gram) ?? [];
        list.push({ index, support: Math.sqrt(Math.min(1, weight / FULL_SUPPORT)) });
        classesOfGram.set(gram, list);
      }
    });
    const rarest = Math.log(1 + classes.length);
    let postings = 0;
    for (const list of classesOfGram.values()) postings += list.length;
    this.rarity = new Float64Array(classesOfGram.size);
    this.postingStart = new Int32Array(classesOfGram.size + 1);
    this.postingClass = new Int32Array(postings);
    this.postingSupport = new Float64Array(postings);
    let number = 0;
    let next = 0;
    for (const [gram, list] of classesOfGram) {
      this.gramNumbers.set(gram, number);
      this.rarity[number] = Math.log(1 + classes.length / list.length) / rarest;
      for (const { index, support } of list) {
        this.postingClass[next] = index;
        this.postingSupport[next] = support;
        next += 1;
      }
      number += 1;
      this.postingStart[number] = next;
    }
  }

  /** The classes the text's pairs point to, by class code, similarity above zero. */
  match(normalized: string): Map<string, GramMatch> {
    const known = new Map<string, Gram[]>();
    for (const gram of gramsOf(normalized)) {
      if (!this.gramNumbers.has(gram.gram)) continue;
      const list = known.get(gram.gram) ?? [];
      list.push(gram);
      known.set(gram.gram, list);
    }
    const evidence = [...known.keys()].reduce((sum, gram) => sum + this.rarity[this.gramNumbers.get(gram)!], 0);
    const matches = new Map<string, GramMatch>();
    if (evidence === 0) return matches;
    const scale = Math.min(1, evidence / FULL_EVIDENCE) / evidence;
    const sums = new Map<number, { sum: number; grams: Gram[] }>();
    for (const [gram, at] of known) {
      const number = this.gramNumbers.get(gram)!;
      const rarity = this.rarity[number];
      for (let p = this.postingStart[number]; p < this.postingStart[number + 1]; p += 1) {
        const index = this.postingClass[p];
        const entry = sums.get(index) ?? { sum: 0, grams: [] };
        entry.sum += rarity * this.postingSupport[p];
        entry.grams.push(...at);
        sums.set(index, entry);
      }
    }
    for (const [index, { sum, grams }] of sums) {
      matches.set(this.classes[index].code, { similarity: sum * scale, grams });
    }
    return matches;
  }
}
