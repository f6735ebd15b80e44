import { tokenize } from '../../text';
import { VocabularySpelling } from '../../text/vocabulary-spelling';
import type { CatalogueSnapshot } from './catalogue-snapshot';

/** Longer searches are not typed words with a slip: they are searched as written. */
const MAX_RESPELLED_LENGTH = 64;

/**
 * The catalogue's own words, for searches that find nothing as typed: input-method typos that
 * sound like a word of the catalogue's titles and tags (社宝卡 → 社保卡) and words typed in pinyin
 * (gongjijin, sbk).
 */
export class SearchSpelling {
  private readonly spelling: VocabularySpelling;

  constructor(snapshot: CatalogueSnapshot) {
    const known = new Set<string>();
    const uses = new Map<string, number>();
    for (const service of snapshot.services.values()) {
      const own = new Set(tokenize(`${service.title} ${service.tags.join(' ')}`));
      for (const word of own) {
        known.add(word);
        uses.set(word, (uses.get(word) ?? 0) + 1);
      }
      for (const word of tokenize(`${service.summary} ${service.description ?? ''}`)) known.add(word);
    }
    this.spelling = new VocabularySpelling(uses, known);
  }

  /** The search in the catalogue's words (null for a search too long to be a slip). */
  respell(search: string): string | null {
    if (search.length > MAX_RESPELLED_LENGTH) return null;
    return this.spelling.respellAnyText(search);
  }
}

const spellings = new WeakMap<CatalogueSnapshot, SearchSpelling>();

export function searchSpellingOf(snapshot: CatalogueSnapshot): SearchSpelling {
  let spelling = spellings.get(snapshot);
  if (!spelling) spellings.set(snapshot, (spelling = new SearchSpelling(snapshot)));
  return spelling;
}
