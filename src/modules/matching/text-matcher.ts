import { normalizeText, queryTokens, tokenize } from '../../text';
import { VocabularySpelling } from '../../text/vocabulary-spelling';
import categoryHintData from '../../text/category-hints.json';

/** What the matcher needs of a published service. */
export interface MatchableService {
  id: string;
  title: string;
  titleEn: string | null;
  tags: readonly string[];
  summary: string;
  description: string | null;
  /** The service's category code and its parent's (a hint for either counts). */
  categoryCodes: readonly string[];
  districtCodes: readonly string[];
}

export interface MatchOptions {
  limit?: number;
  /** Only services open to this district. */
  districtCode?: string | null;
  /** A category the caller named: counts as a hint. */
  categoryCode?: string | null;
}

export interface TextMatch {
  serviceId: string;
  /** Share of the request's information found in the service, 0 to 1. */
  score: number;
  /** Request words found in the service, for the reason shown to the citizen. */
  matchedTerms: string[];
}

/** How much a word found in each field of a service counts. */
export const FIELD_WEIGHTS = { title: 1, tags: 0.9, summary: 0.6, description: 0.35 } as const;

/** A service's words, each with the weight of the strongest field it appears in. */
export function fieldWeightedWords(service: {
  title: string;
  titleEn: string | null;
  tags: readonly string[];
  summary: string;
  description: string | null;
}): { wordWeight: Map<string, number>; titleWords: string[]; tagWords: string[] } {
  const wordWeight = new Map<string, number>();
  const titleWords = tokenize(`${service.title} ${service.titleEn ?? ''}`);
  const tagWords = tokenize(service.tags.join(' '));
  weigh(wordWeight, titleWords, FIELD_WEIGHTS.title);
  weigh(wordWeight, tagWords, FIELD_WEIGHTS.tags);
  weigh(wordWeight, tokenize(service.summary), FIELD_WEIGHTS.summary);
  weigh(wordWeight, tokenize(service.description ?? ''), FIELD_WEIGHTS.description);
  return { wordWeight, titleWords, tagWords };
}
const CATEGORY_HINT_BOOST = 1.15;
/** Share of the score from how much of the service's title the request covers (breaks ties). */
const TITLE_COVERAGE_SHARE = 0.15;

const hintEntries = Object.entries(categoryHintData.hints as Record<string, string[]>).map(
  ([word, codes]) => [normalizeText(word), codes] as const,
);

/** Categories that everyday words of the text point to. */
export function categoryHints(text: string): Set<string> {
  const normalized = normalizeText(text);
  return new Set(hintEntries.flatMap(([word, codes]) => (normalized.includes(word) ? codes : [])));
}

function weigh(into: Map<string, number>, tokens: readonly string[], weight: number): void {
  for (const token of tokens) into.set(token, Math.max(into.get(token) ?? 0, weight));
}

/**
 * Matches free text to services by the share of the text's information (IDF-weighted
 * words, after normalisation, segmentation and synonyms) that a service contains, with
 * pinyin sound pairs as a second channel for input-method typos. Pure and in memory:
 * built once per catalogue version.
 */
export class TextMatcher {
  private readonly services: readonly MatchableService[];
  private readonly titleWords: string[][];
  /** The information (IDF sum) of each service's title words. */
  private readonly titleInformation: Float64Array;
  /**
   * The services' words as numbers (their order of first appearance): per word its IDF and
   * postings (the services containing it, in service order, each with the weight of the
   * strongest field the word is in); per service its word numbers, ascending. Typed arrays
   * rather than a Map of words per service: a city catalogue has about 94,000 (service, word)
   * pairs, which as Maps kept 10 MB of the heap that every full collection marks.
   */
  private readonly wordNumbers = new Map<string, number>();
  private readonly wordIdf: Float64Array;
  private readonly postingStart: Int32Array;
  private readonly postingService: Int32Array;
  private readonly postingWeight: Float64Array;
  private readonly serviceWordStart: Int32Array;
  private readonly serviceWords: Int32Array;
  private readonly spelling: VocabularySpelling;
  private readonly indexOf = new Map<string, number>();

  constructor(services: readonly MatchableService[]) {
    this.services = services;
    // The words a typo or pinyin may stand for (titles and tags), with how many services use each.
    const uses = new Map<string, number>();
    const weighted = services.map((service) => {
      const { wordWeight, titleWords, tagWords } = fieldWeightedWords(service);
      const own = new Set([...titleWords, ...tagWords, ...service.tags.map(normalizeText)]);
      for (const word of own) uses.set(word, (uses.get(word) ?? 0) + 1);
      return { wordWeight, titleWords };
    });
    this.titleWords = weighted.map((s) => s.titleWords);
    const df: number[] = [];
    let pairs = 0;
    weighted.forEach((s, index) => {
      this.indexOf.set(services[index].id, index);
      for (const word of s.wordWeight.keys()) {
        let number = this.wordNumbers.get(word);
        if (number === undefined) this.wordNumbers.set(word, (number = df.length));
        df[number] = (df[number] ?? 0) + 1;
        pairs += 1;
      }
    });
    this.wordIdf = Float64Array.from(df, (count) => Math.log(1 + services.length / count));
    this.postingStart = new Int32Array(df.length + 1);
    for (let w = 0; w < df.length; w += 1) this.postingStart[w + 1] = this.postingStart[w] + df[w];
    this.postingService = new Int32Array(pairs);
    this.postingWeight = new Float64Array(pairs);
    this.serviceWordStart = new Int32Array(services.length + 1);
    this.serviceWords = new Int32Array(pairs);
    const filled = this.postingStart.slice(0, df.length);
    weighted.forEach(({ wordWeight }, index) => {
      const start = this.serviceWordStart[index];
      let end = start;
      for (const [word, weight] of wordWeight) {
        const number = this.wordNumbers.get(word)!;
        this.postingService[filled[number]] = index;
        this.postingWeight[filled[number]] = weight;
        filled[number] += 1;
        this.serviceWords[end++] = number;
      }
      this.serviceWords.subarray(start, end).sort();
      this.serviceWordStart[index + 1] = end;
    });
    this.titleInformation = Float64Array.from(this.titleWords, (words) =>
      words.reduce((sum, w) => sum + this.idf(w), 0),
    );
    this.spelling = new VocabularySpelling(uses, new Set(this.wordNumbers.keys()));
  }

  /** The text with words typed in pinyin (sbk, gongjijin) written in characters (`PinyinSpeller`). */
  spellOut(text: string): string {
    return this.spelling.spellOut(text);
  }

  get size(): number {
    return this.services.length;
  }

  /** A word no service has is as informative as the rarest word there is. */
  private idf(word: string): number {
    const number = this.wordNumbers.get(word);
    return number === undefined ? Math.log(1 + 2 * Math.max(1, this.services.length)) : this.wordIdf[number];
  }

  /** Whether the service at `index` has the word numbered `number`. */
  private hasWord(index: number, number: number): boolean {
    let low = this.serviceWordStart[index];
    let high = this.serviceWordStart[index + 1] - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.serviceWords[middle];
      if (found === number) return true;
      if (found < number) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** Services meeting `text`, best first; none when the text has no words. */
  match(text: string, options: MatchOptions = {}): TextMatch[] {
    const words = this.words(text);
    return this.rankWords(text, words, options).map(({ index, score }) => ({
      serviceId: this.services[index].id,
      score,
      matchedTerms: this.termsOf(words, index),
    }));
  }

  /** As `match`, without the matched words: services by their index (see `serviceIdAt`). */
  rank(text: string, options: MatchOptions = {}): { index: number; score: number }[] {
    return this.rankWords(text, this.words(text), options);
  }

  /** Whether the service is open to the district (a service with no district rule is open to all). */
  isOpenTo(serviceId: string, districtCode: string): boolean {
    const index = this.indexOf.get(serviceId);
    if (index === undefined) return false;
    const { districtCodes } = this.services[index];
    return districtCodes.length === 0 || districtCodes.includes(districtCode);
  }

  /** The districts a service is restricted to (none: open to all). */
  districtsOf(serviceId: string): readonly string[] {
    const index = this.indexOf.get(serviceId);
    return index === undefined ? [] : this.services[index].districtCodes;
  }

  serviceIdAt(index: number): string {
    return this.services[index].id;
  }

  /** The index of a service of the catalogue (see `serviceIdAt`); undefined for one it does not hold. */
  serviceIndexOf(serviceId: string): number | undefined {
    return this.indexOf.get(serviceId);
  }

  /** A text's words as matching reads them: corrected, normalised, segmented, with synonyms. */
  words(text: string): string[] {
    return queryTokens(this.spelling.respell(text));
  }

  /** Which of a text's `words` the service at `index` contains. */
  termsOf(words: readonly string[], index: number): string[] {
    return longestFirst(
      words.filter((word) => {
        const number = this.wordNumbers.get(word);
        return number !== undefined && this.hasWord(index, number);
      }),
    );
  }

  private rankWords(text: string, words: readonly string[], options: MatchOptions): { index: number; score: number }[] {
    if (words.length === 0) return [];
    const hints = categoryHints(text);
    if (options.categoryCode) hints.add(options.categoryCode);
    const wordSet = new Set(words);
    const wordInformation = words.map((w) => this.idf(w));
    const total = wordInformation.reduce((sum, v) => sum + v, 0);

    // Only services sharing a word with the request can score above zero. Each one's share is
    // summed over the request's words in their order, as the weights' sum of each service.
    const covered = new Float64Array(this.services.length);
    const reached: number[] = [];
    const isReached = new Uint8Array(this.services.length);
    for (let i = 0; i < words.length; i += 1) {
      const number = this.wordNumbers.get(words[i]);
      if (number === undefined) continue;
      for (let p = this.postingStart[number]; p < this.postingStart[number + 1]; p += 1) {
        const index = this.postingService[p];
        if (!isReached[index]) {
          isReached[index] = 1;
          reached.push(index);
        }
        covered[index] += this.postingWeight[p] * wordInformation[i];
      }
    }
    const scored: { index: number; score: number }[] = [];
    for (const index of reached) {
      const service = this.services[index];
      if (
        options.districtCode &&
        service.districtCodes.length > 0 &&
        !service.districtCodes.includes(options.districtCode)
      ) {
        continue;
      }
      if (covered[index] === 0) continue;
      let titleCovered = 0;
      for (const w of this.titleWords[index]) if (wordSet.has(w)) titleCovered += this.idf(w);
      const titleInformation = this.titleInformation[index];
      let score =
        (1 - TITLE_COVERAGE_SHARE) * (covered[index] / total) +
        TITLE_COVERAGE_SHARE * (titleInformation > 0 ? titleCovered / titleInformation : 0);
      if (service.categoryCodes.some((code) => hints.has(code))) score = Math.min(1, score * CATEGORY_HINT_BOOST);
      scored.push({ index, score });
    }
    const idOf = (index: number) => this.services[index].id;
    scored.sort((a, b) => b.score - a.score || idOf(a.index).localeCompare(idOf(b.index)));
    return scored.slice(0, options.limit ?? scored.length);
  }
}

/** Matched words, dropping any contained in a longer matched word (公积 inside 公积金). */
function longestFirst(terms: string[]): string[] {
  const sorted = [...new Set(terms)].sort((a, b) => b.length - a.length);
  return sorted.filter((term, i) => !sorted.slice(0, i).some((longer) => longer.includes(term)));
}
