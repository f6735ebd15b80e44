import { normalizeText, queryTokens, tokenize } from '../../text';
import { TypoCorrector } from '../../text/typo-correction';
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

interface IndexedService {
  service: MatchableService;
  wordWeight: Map<string, number>;
  titleWords: string[];
  /** The information (IDF sum) of the title's words. */
  titleInformation: number;
}

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
  private readonly indexed: IndexedService[];
  /** Word → indexes of the services that contain it. */
  private readonly postings = new Map<string, number[]>();
  private readonly wordIdf = new Map<string, number>();
  private readonly corrector: TypoCorrector;
  private readonly indexOf = new Map<string, number>();

  constructor(services: readonly MatchableService[]) {
    const correctable = new Set<string>();
    this.indexed = services.map((service) => {
      const { wordWeight, titleWords, tagWords } = fieldWeightedWords(service);
      for (const word of [...titleWords, ...tagWords, ...service.tags.map(normalizeText)]) correctable.add(word);
      return { service, wordWeight, titleWords, titleInformation: 0 };
    });
    const df = new Map<string, number>();
    this.indexed.forEach((s, index) => {
      this.indexOf.set(s.service.id, index);
      for (const key of s.wordWeight.keys()) {
        df.set(key, (df.get(key) ?? 0) + 1);
        const posting = this.postings.get(key);
        if (posting) posting.push(index);
        else this.postings.set(key, [index]);
      }
    });
    for (const [key, count] of df) this.wordIdf.set(key, Math.log(1 + this.indexed.length / count));
    for (const s of this.indexed) s.titleInformation = s.titleWords.reduce((sum, w) => sum + this.idf(w), 0);
    this.corrector = new TypoCorrector(correctable, df.keys());
  }

  get size(): number {
    return this.indexed.length;
  }

  /** A word no service has is as informative as the rarest word there is. */
  private idf(word: string): number {
    return this.wordIdf.get(word) ?? Math.log(1 + 2 * Math.max(1, this.indexed.length));
  }

  /** Services meeting `text`, best first; none when the text has no words. */
  match(text: string, options: MatchOptions = {}): TextMatch[] {
    const words = this.words(text);
    return this.rankWords(text, words, options).map(({ index, score }) => ({
      serviceId: this.indexed[index].service.id,
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
    const { districtCodes } = this.indexed[index].service;
    return districtCodes.length === 0 || districtCodes.includes(districtCode);
  }

  serviceIdAt(index: number): string {
    return this.indexed[index].service.id;
  }

  /** A text's words as matching reads them: corrected, normalised, segmented, with synonyms. */
  words(text: string): string[] {
    return queryTokens(this.corrector.correct(text));
  }

  /** Which of a text's `words` the service at `index` contains. */
  termsOf(words: readonly string[], index: number): string[] {
    const { wordWeight } = this.indexed[index];
    return longestFirst(words.filter((word) => wordWeight.has(word)));
  }

  private rankWords(text: string, words: readonly string[], options: MatchOptions): { index: number; score: number }[] {
    if (words.length === 0) return [];
    const hints = categoryHints(text);
    if (options.categoryCode) hints.add(options.categoryCode);
    const wordSet = new Set(words);
    const wordInformation = words.map((w) => this.idf(w));
    const total = wordInformation.reduce((sum, v) => sum + v, 0);

    // Only services sharing a word with the request can score above zero.
    const reached = new Set<number>();
    for (const word of wordSet) for (const index of this.postings.get(word) ?? []) reached.add(index);
    const scored: { index: number; score: number }[] = [];
    for (const index of reached) {
      const { service, wordWeight, titleWords, titleInformation } = this.indexed[index];
      if (
        options.districtCode &&
        service.districtCodes.length > 0 &&
        !service.districtCodes.includes(options.districtCode)
      ) {
        continue;
      }
      let covered = 0;
      for (let i = 0; i < words.length; i += 1) {
        const weight = wordWeight.get(words[i]);
        if (weight) covered += weight * wordInformation[i];
      }
      if (covered === 0) continue;
      let titleCovered = 0;
      for (const w of titleWords) if (wordSet.has(w)) titleCovered += this.idf(w);
      let score =
        (1 - TITLE_COVERAGE_SHARE) * (covered / total) +
        TITLE_COVERAGE_SHARE * (titleInformation > 0 ? titleCovered / titleInformation : 0);
      if (service.categoryCodes.some((code) => hints.has(code))) score = Math.min(1, score * CATEGORY_HINT_BOOST);
      scored.push({ index, score });
    }
    const idOf = (index: number) => this.indexed[index].service.id;
    scored.sort((a, b) => b.score - a.score || idOf(a.index).localeCompare(idOf(b.index)));
    return scored.slice(0, options.limit ?? scored.length);
  }
}

/** Matched words, dropping any contained in a longer matched word (公积 inside 公积金). */
function longestFirst(terms: string[]): string[] {
  const sorted = [...new Set(terms)].sort((a, b) => b.length - a.length);
  return sorted.filter((term, i) => !sorted.slice(0, i).some((longer) => longer.includes(term)));
}
