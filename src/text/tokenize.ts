import { Jieba } from '@node-rs/jieba';
import { jiebaDictionary } from './jieba-dictionary';
import { normalizeText } from './normalize';
import { QUERY_STOPWORDS, SENTENCE_WORDS, STOPWORDS } from './stopwords';
import { defaultSynonyms, type SynonymGroups } from './synonyms';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(jiebaDictionary());
  return jieba;
}

/**
 * Words of normalised text in jieba's accurate mode (no overlapping sub-words). With `hmm`
 * off, runs the dictionary does not know are not guessed into new words (养狗要 stays 养 狗 要).
 */
export function segment(normalized: string, hmm = true): string[] {
  return segmenter().cut(normalized, hmm);
}

const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
const NON_WORD = /[^\p{L}\p{N}]+/u;
const LATIN_WORD = /^[a-z]+$/;

/** Light English stemming, the same on both sides: plurals only. */
export function stemLatin(word: string): string {
  if (!LATIN_WORD.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ss') || word.endsWith('us')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/**
 * Tokens of a text for the search index and for queries: normalised (simplified script,
 * half-width, lower case), segmented by jieba in search mode (so 公积金 also yields 公积),
 * stop words dropped, each synonym's canonical term added. Order is kept, duplicates dropped.
 */
export function tokenize(text: string, synonyms: SynonymGroups = defaultSynonyms): string[] {
  const normalized = normalizeText(text);
  if (normalized.length === 0) return [];
  const seen = new Set<string>();
  const tokens: string[] = [];
  const add = (token: string) => {
    if (!seen.has(token)) {
      seen.add(token);
      tokens.push(token);
    }
  };
  for (const piece of segmenter().cutForSearch(normalized, true)) {
    for (const part of piece.split(NON_WORD)) {
      if (!HAS_WORD_CHARACTER.test(part) || STOPWORDS.has(part)) continue;
      const token = stemLatin(part);
      add(token);
      const canonical = synonyms.canonicalOf.get(token);
      if (canonical) add(canonical);
    }
  }
  // Multi-word synonyms that the segmenter split (e.g. 老年人优待证 → 老年人, 优待, 证). Latin ones as whole
  // words only ("cat" is not in "certificate"); Chinese has no spaces, and jieba's cuts err too often
  // (寵物走失去哪裏 is 走 失去) to require them, so a Chinese member of two or more characters may match inside.
  for (const [member, canonical] of synonyms.canonicalOf) {
    if (member.length <= 1 || seen.has(canonical) || !normalized.includes(member)) continue;
    if (!HAS_LATIN.test(member) || occursAsWholeWords(normalized, member)) add(canonical);
  }
  return tokens;
}

const HAS_LATIN = /[a-z]/;
const LATIN_OR_DIGIT = /[a-z0-9]/;

function occursAsWholeWords(normalized: string, member: string): boolean {
  for (let at = normalized.indexOf(member); at >= 0; at = normalized.indexOf(member, at + 1)) {
    const before = at === 0 ? '' : normalized[at - 1];
    const after = normalized[at + member.length] ?? '';
    if (!LATIN_OR_DIGIT.test(before) && !LATIN_OR_DIGIT.test(after)) return true;
  }
  return false;
}

/** Tokens of a search query: as `tokenize`, less words too common to narrow a search and sentence words. */
export function queryTokens(text: string, synonyms: SynonymGroups = defaultSynonyms): string[] {
  const tokens = tokenize(text, synonyms);
  const narrowing = tokens.filter((token) => !QUERY_STOPWORDS.has(token) && !SENTENCE_WORDS.has(token));
  return narrowing.length > 0 ? narrowing : tokens;
}

/** A tsquery string matching any of the tokens ('simple' configuration); null for none. */
export function toTsQuery(tokens: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  return tokens.map((token) => `'${token.replace(/'/g, "''")}'`).join(' | ');
}
