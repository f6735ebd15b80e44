import { BoundedMemo } from '../lib/memos';
import { normalizeText } from './normalize';
import { STOPWORDS } from './stopwords';
import { segment } from './tokenize';

/**
 * Texts that express no need: greetings and thanks, pleas without content (帮帮我, 怎么办, 在吗),
 * tests, laughter, placeholders (null, undefined), gibberish (keyboard runs, digits or
 * punctuation only) and markup or code (HTML, SQL, paths, template expressions). They stay
 * signals like any other; unmet demand and the report's unmet count leave them out.
 *
 * The rule (`needWords`): remove the spans of markup and code from the normalised text; segment
 * what is left; a word expresses nothing when it is made of NO_NEED_WORDS and stop words only
 * (哈哈哈 is 哈 three times, 谢谢啦 谢谢 and 啦), or is digits, a single Latin letter or Latin
 * gibberish. The words left are the text's need words; a text without any expresses no need.
 * Pure and unit-tested (non-requests.test.ts). Short real needs keep a word: 路灯坏了 (路灯),
 * 失恋, 考研, Wi-Fi 没信号 (信号), need a dentist at night (dentist, night).
 */

/**
 * Words that carry no need on their own, beyond the stop words (src/text/stopwords.ts). A
 * closed list by kind; single characters combine (哈哈哈哈, 好的, 在不在).
 */
export const NO_NEED_WORDS: Readonly<Record<string, readonly string[]>> = {
  greeting: [
    '你好',
    '您好',
    '大家',
    '大家好',
    '哈喽',
    '嗨',
    '早',
    '早上好',
    '上午好',
    '中午好',
    '下午好',
    '晚上好',
    '早安',
    '午安',
    '晚安',
    '再见',
    '拜拜',
    'hi',
    'hello',
    'hey',
    'hiya',
    'yo',
    'good',
    'morning',
    'afternoon',
    'evening',
    'bye',
    'goodbye',
    'nihao',
  ],
  thanks: [
    '谢谢',
    '多谢',
    '感谢',
    '谢',
    '辛苦',
    '麻烦',
    '打扰',
    '好',
    '行',
    '收到',
    '明白',
    '没事',
    '不客气',
    '客气',
    '对不起',
    '抱歉',
    '不好意思',
    'thanks',
    'thank',
    'thx',
    'ty',
    'ok',
    'okay',
    'yes',
    'no',
    'sorry',
    'xiexie',
  ],
  plea: [
    '帮帮',
    '帮帮我',
    '帮我',
    '帮忙',
    '帮',
    '求助',
    '求求',
    '求',
    '救救',
    '救命',
    '怎么办',
    '咋办',
    '怎么弄',
    '怎么回事',
    '为什么',
    '咋',
    '问',
    '问问',
    '问一下',
    '问题',
    '咨询',
    '有人',
    '人呢',
    '喂',
    '谁',
    '急',
    '着急',
    '说',
    '告诉',
    '看看',
    '了解',
    '知道',
    '不',
    '一',
    '点',
    '些',
    '下',
    '就是',
    '然后',
    '还有',
    'help',
    'please',
    'pls',
    'plz',
    'sos',
    'anyone',
    'someone',
    'somebody',
    'there',
    'here',
    'question',
    'problem',
    'need',
    'want',
    'just',
    'this',
    'that',
    'am',
    'was',
    'we',
    'us',
    'does',
    'could',
    'would',
    'will',
    'should',
    'why',
    'who',
    'when',
    'zaima',
  ],
  test: [
    '测试',
    '测',
    '试试',
    '试',
    '随便',
    'test',
    'testing',
    'tested',
    'tests',
    'demo',
    'foo',
    'foobar',
    'lorem',
    'ipsum',
  ],
  laughter: [
    '哈',
    '呵',
    '嘿',
    '嘻',
    '啊',
    '哦',
    '噢',
    '嗯',
    '呃',
    '唉',
    '哎',
    '哇',
    '嗷',
    '呜',
    '嘤',
    '喔',
    '哼',
    '啦',
    '嘛',
    '哟',
    '呐',
    '咯',
    '耶',
    'lol',
    'lmao',
    'rofl',
    'xd',
  ],
  placeholder: [
    '无',
    '没有',
    '空',
    '暂无',
    '略',
    '其他',
    '其它',
    '某某',
    '未知',
    '内容',
    '输入',
    'null',
    'undefined',
    'nan',
    'none',
    'nil',
    'true',
    'false',
    'object',
    'void',
    'na',
    'tbd',
    'abc',
    'xyz',
    'asdf',
    'qwer',
  ],
  code: [
    'script',
    'alert',
    'javascript',
    'vbscript',
    'onerror',
    'onload',
    'onclick',
    'onmouseover',
    'iframe',
    'img',
    'svg',
    'src',
    'href',
    'eval',
    'document',
    'cookie',
    'console',
    'function',
    'select',
    'union',
    'insert',
    'drop',
    'exec',
    'truncate',
    'passwd',
    'admin',
    'root',
  ],
};

const NO_NEED = new Set([...Object.values(NO_NEED_WORDS).flat(), ...STOPWORDS]);
/** Longest entry, in characters: the decomposition below looks no further. */
const LONGEST = Math.max(...[...NO_NEED].map((word) => word.length));

/**
 * Spans of markup and code, removed whole before segmenting: what they name (a tag, a table, a
 * file) is not a need. Applied in order to the normalised text (lower case, half width).
 */
const CODE_SPANS: readonly RegExp[] = [
  // Comments, and script or style elements with their content.
  /<!--[\s\S]*?(?:-->|$)/g,
  /<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/g,
  // Tags with their attributes (an unclosed one at the end too).
  /<\/?[a-z][^<>]*(?:>|$)/g,
  // Template expressions: {{ }}, ${ }, #{ }, {% %}, <% %>.
  /\{\{[\s\S]*?(?:\}\}|$)/g,
  /[$#]\{[\s\S]*?(?:\}|$)/g,
  /\{%[\s\S]*?(?:%\}|$)/g,
  /<%[\s\S]*?(?:%>|$)/g,
  // Paths: relative climbs (../../etc/passwd), absolute Unix paths, Windows paths, file: URLs.
  /(?:\.\.?[/\\])+\S*/g,
  /(?:^|(?<=\s))(?:file:\/\/)?\/(?:[\w.-]+\/)*[\w.-]+/g,
  /\b[a-z]:\\\S*/g,
  // SQL statements with the name they act on, unions and tautologies (' or '1'='1).
  /\b(?:drop|truncate|alter|create)\s+(?:table|database|schema|view|index)\s+(?:if\s+(?:not\s+)?exists\s+)?[\w."`[\]]+/g,
  /\b(?:delete\s+from|insert\s+into)\s+[\w."`[\]]+/g,
  /\bupdate\s+[\w."`[\]]+\s+set\b/g,
  /\bselect\s+(?:\*|count\s*\(\s*\*\s*\)|[\w.]+(?:\s*,\s*[\w.]+)+)\s+from\s+[\w."`[\]]+/g,
  /\bselect\s+[\w.]+\s+from\s+[\w."`[\]]+\s+where\b/g,
  /\bunion\s+(?:all\s+)?select\b[^;]*/g,
  /\b(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+['"]?/g,
  // javascript: URLs.
  /\b(?:javascript|vbscript|data):\S*/g,
];

/** HTML entities and percent-escapes, decoded first so that escaped markup is markup. */
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };
function decodeEscapes(text: string): string {
  return text
    .replace(/&(lt|gt|amp|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name])
    .replace(/&#(x[0-9a-f]+|\d+);?/g, (_, code: string) =>
      safeCodePoint(code.startsWith('x') ? parseInt(code.slice(1), 16) : Number(code)),
    )
    .replace(/%([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
function safeCodePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
}

/** The text with its markup and code spans replaced by spaces. */
export function withoutCode(normalized: string): string {
  let text = decodeEscapes(normalized);
  for (const span of CODE_SPANS) text = text.replace(span, ' ');
  return text;
}

/**
 * True when the word is a sequence of NO_NEED words (哈哈哈, 谢谢啦, 在不在). A Latin word must be
 * one of them: English is written in words (ion is no i and on).
 */
function madeOfNoNeedWords(word: string): boolean {
  if (/^[a-z]+$/.test(word)) return NO_NEED.has(word);
  const chars = [...word];
  // reachable[i]: chars[0..i) is a sequence of NO_NEED words.
  const reachable = new Array<boolean>(chars.length + 1).fill(false);
  reachable[0] = true;
  for (let i = 0; i < chars.length; i++) {
    if (!reachable[i]) continue;
    for (let j = i + 1; j <= Math.min(chars.length, i + LONGEST); j++)
      if (NO_NEED.has(chars.slice(i, j).join(''))) reachable[j] = true;
  }
  return reachable[chars.length];
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Neighbours on a keyboard row (either way). */
function keyboardNeighbours(a: string, b: string): boolean {
  return KEYBOARD_ROWS.some((row) => {
    const i = row.indexOf(a);
    return i >= 0 && Math.abs(row.indexOf(b) - i) === 1 && row.includes(b);
  });
}

/**
 * Latin letters typed without words: a run along a keyboard row (asdfghjkl, qwerty), at least 5
 * letters without a vowel (sdfgh), one letter three times or more (xxx), a unit of 2-3 letters
 * repeated (hahaha, asdasd), or a run of the alphabet (abcdefg). Each at least 4 letters (5 for
 * the first two): hi, ok, tv stay words.
 */
export function isLatinGibberish(word: string): boolean {
  if (!/^[a-z]+$/.test(word) || word.length < 3) return false;
  if ([...word].every((c) => c === word[0])) return true;
  if (word.length < 4) return false;
  const pairs = [...word.slice(1)].map((c, i) => [word[i], c] as const);
  if (word.length >= 5 && pairs.every(([a, b]) => keyboardNeighbours(a, b))) return true;
  if (word.length >= 5 && !/[aeiouy]/.test(word)) return true;
  for (let unit = 2; unit <= 3 && unit * 2 <= word.length; unit++) {
    const head = word.slice(0, unit);
    if ([...word].every((c, i) => c === head[i % unit])) return true;
  }
  return pairs.every(([a, b]) => Math.abs(ALPHABET.indexOf(a) - ALPHABET.indexOf(b)) === 1);
}

const NON_WORD = /[^\p{L}\p{N}]+/u;
/** Runs of Latin letters, of digits, and of anything else (Han): test123 is test and 123. */
const RUNS = /[a-z]+|\p{N}+|[^a-z\p{N}]+/gu;

/** The kind of a word that carries no need, or null for a need word. */
export function noNeedKind(word: string): 'digits' | 'letter' | 'gibberish' | 'listed' | null {
  if (/^\p{N}+$/u.test(word)) return 'digits';
  if (/^[a-z]$/.test(word)) return 'letter';
  if (madeOfNoNeedWords(word)) return 'listed';
  if (isLatinGibberish(word)) return 'gibberish';
  return null;
}

/**
 * The words of a text that may express a need: the text normalised (simplified script, half
 * width, lower case), its markup and code spans removed, segmented (jieba, without guessing
 * unknown words, so that 在吗 stays 在 吗), split into Latin, digit and other runs, less the
 * words that carry no need (`noNeedKind`). In the order of the text, without repeats.
 */
export function needWords(text: string): string[] {
  const cleaned = withoutCode(normalizeText(text));
  const words = new Set<string>();
  for (const piece of segment(cleaned, false))
    for (const part of piece.split(NON_WORD))
      for (const word of part.match(RUNS) ?? []) if (noNeedKind(word) === null) words.add(word);
  return [...words];
}

/** Texts whose verdict is remembered (requests repeat a lot; the verdict depends on the text alone). */
const MAX_REMEMBERED_TEXTS = 100_000;
const verdicts = new BoundedMemo(MAX_REMEMBERED_TEXTS);

/**
 * True when the text expresses no need (`needWords` is empty): blank, greeting, test,
 * gibberish, markup … Remembered per text (about 0.1 ms to read one).
 */
export function expressesNoNeed(text: string): boolean {
  return verdicts.get(text, () => needWords(text).length === 0);
}
