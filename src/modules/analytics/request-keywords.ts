import { buildSynonymGroups, defaultSynonyms, normalizeText, tokenize, type SynonymGroups } from '../../text';
import { QUERY_STOPWORDS, STOPWORDS } from '../../text/stopwords';
import topicData from '../../text/topic-keywords.json';

const HAS_LETTER = /\p{L}/u;
/** A quantity or a span of time in words (两万块, 好几年, 三个月, 几天): how much or how long, not what. */
const QUANTITY = /^[零〇一二两三四五六七八九十百千万亿几好多半数每\d]+[个年月日天周块元钱岁次遍回号份斤]*$/u;
const length = (word: string) => [...word].length;

const topics = buildSynonymGroups(topicData.groups);
const FILLERS = new Set(topicData.fillers.map(normalizeText));

/** The catalogue's synonyms with the topic groups on top (a topic group wins). */
const CLUSTER_SYNONYMS: SynonymGroups = {
  canonicalOf: new Map([...defaultSynonyms.canonicalOf, ...topics.canonicalOf]),
};

/** Han members of topic groups, longest first: words inside a longer token stand for their topic too. */
const HAN_TOPIC_MEMBERS = [...topics.canonicalOf.keys()]
  .filter((word) => /^\p{Script=Han}+$/u.test(word))
  .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));

/** Multi-character words of every group, synonyms and topics. */
const GROUP_WORDS = [...CLUSTER_SYNONYMS.canonicalOf.keys()].filter((word) => length(word) > 1);

/** Words of the topic groups, as correction targets for typos (宠屋 → 宠物). */
export const TOPIC_WORDS: readonly string[] = HAN_TOPIC_MEMBERS.filter((word) => word.length >= 2);

/** The keyword a token stands for: through the synonyms, then the topic groups; null for none. */
function canonicalOf(token: string): string | null {
  const synonym = defaultSynonyms.canonicalOf.get(token);
  return topics.canonicalOf.get(synonym ?? token) ?? topics.canonicalOf.get(token) ?? synonym ?? null;
}

/**
 * The topic keywords of a request: its tokens (normalised, segmented, synonyms applied) each
 * replaced by the keyword of its topic group, less stop words, words common to every request
 * (办理, 在哪里 …), fillers, single characters and numbers. A token that only wraps a topic
 * word counts as it (养狗要 → 宠物, 狂犬 → 宠物); segments of a topic word are dropped with it
 * (电动自行车 → 电动车, not also 电动, 自行车). Sorted, without repeats.
 */
export function requestKeywords(text: string, correct: (text: string) => string = (t) => t): string[] {
  const corrected = correct(text);
  const tokens = tokenize(corrected, CLUSTER_SYNONYMS);
  const normalized = normalizeText(corrected);
  // Words of a group in the text, also where the segmenter split them (电动自行车 → 电动, 自行车).
  const grouped = [
    ...tokens.filter((token) => length(token) > 1 && canonicalOf(token) !== null),
    ...GROUP_WORDS.filter((word) => normalized.includes(word)),
  ];
  const keywords = new Set<string>();
  for (const token of tokens) {
    let keyword = canonicalOf(token);
    if (keyword === null) {
      if (grouped.some((word) => word !== token && word.includes(token))) continue;
      const member = HAN_TOPIC_MEMBERS.find((word) => token.includes(word));
      if (member) {
        keywords.add(topics.canonicalOf.get(member)!);
        if (length(token) <= length(member) + 1) continue;
      }
      keyword = token;
    }
    if (length(keyword) < 2 || !HAS_LETTER.test(keyword) || QUANTITY.test(keyword)) continue;
    if (STOPWORDS.has(keyword) || QUERY_STOPWORDS.has(keyword) || FILLERS.has(keyword)) continue;
    keywords.add(keyword);
  }
  return [...keywords].sort();
}
