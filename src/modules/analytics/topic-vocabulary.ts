import type { EntityManager } from 'typeorm';
import { TypoCorrector } from '../../text/typo-correction';
import type { CatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { requestKeywords, TOPIC_WORDS } from './request-keywords';
import { publishedWordCounts } from './unmet.queries';

/** Texts whose keywords are remembered per catalogue version (requests repeat a lot). */
const MAX_CACHED_TEXTS = 100_000;
/**
 * Words in at most this many services weigh the same: a need the catalogue (nearly) lacks
 * is told by all its words alike, not by whichever happens to be rarest.
 */
const RARE_DOCUMENT_FREQUENCY = 5;

/**
 * What clustering needs of the catalogue: keyword weights (inverse document frequency over
 * the published services, so words common to many services weigh little) and a typo
 * corrector towards the topic words (src/text/topic-keywords.json) that leaves the
 * catalogue's own words alone.
 */
export class TopicVocabulary {
  private readonly corrector: TypoCorrector;
  private readonly keywordCache = new Map<string, string[]>();

  /** `documentFrequency`: in how many of the `services` published services each word is. */
  constructor(
    private readonly documentFrequency: ReadonlyMap<string, number>,
    private readonly services: number,
  ) {
    this.corrector = new TypoCorrector(TOPIC_WORDS, [...documentFrequency.keys(), ...TOPIC_WORDS]);
  }

  /** Inverse document frequency in the catalogue, the same for every rare word. */
  readonly weightOf = (keyword: string): number =>
    Math.log(1 + this.services / (1 + Math.max(RARE_DOCUMENT_FREQUENCY, this.documentFrequency.get(keyword) ?? 0)));

  /** The topic keywords of a request text, typos of topic words corrected. */
  keywordsOf(text: string): string[] {
    let keywords = this.keywordCache.get(text);
    if (!keywords) {
      keywords = requestKeywords(text, (t) => this.corrector.correct(t));
      if (this.keywordCache.size >= MAX_CACHED_TEXTS) this.keywordCache.clear();
      this.keywordCache.set(text, keywords);
    }
    return keywords;
  }
}

const vocabularies = new WeakMap<CatalogueSnapshot, Promise<TopicVocabulary>>();

/**
 * The vocabulary of the snapshot's catalogue, built once per snapshot from the services'
 * search vectors (the same tokens the matcher indexes; ts_stat counts the documents of each
 * word in one statement, where re-segmenting thousands of services would take seconds).
 */
export function topicVocabulary(db: EntityManager, snapshot: CatalogueSnapshot): Promise<TopicVocabulary> {
  let vocabulary = vocabularies.get(snapshot);
  if (!vocabulary) {
    vocabulary = publishedWordCounts(db).then(
      (rows) => new TopicVocabulary(new Map(rows.map((r) => [r.word, r.ndoc])), snapshot.services.size),
    );
    vocabularies.set(snapshot, vocabulary);
    vocabulary.catch(() => vocabularies.delete(snapshot));
  }
  return vocabulary;
}
