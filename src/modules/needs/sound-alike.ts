import { jiebaDictionary } from '../../text/jieba-dictionary';
import { pinyin } from 'pinyin-pro';
import { WordCounts } from '../../lib/word-counts';
import { segment } from '../../text/tokenize';

const HAN = /^\p{Script=Han}+$/u;
const MIN_LENGTH = 2;
const MAX_LENGTH = 4;
/** The longest run of written words (a typo's word and its neighbour) read as context. */
const MAX_CONTEXT_RUN = 6;
/**
 * Chance that a citizen typed a word as another that sounds the same. A word is read as a
 * typo only when, with this cost, it is still more likely than the characters as typed.
 */
const TYPO_PROBABILITY = 3e-3;
/**
 * The chance of a typo where the word it stands for, with the word typed next to it, is written
 * so in the phrases (玉儿补贴 where 育儿补贴 is written): the neighbour makes the intended word
 * far likelier than its frequency alone says. Still a cost: a common word as typed stays (工商
 * beside 认定 is no 工伤 for it).
 */
const TYPO_IN_CONTEXT_PROBABILITY = 0.1;

const soundOf = (text: string) => pinyin(text, { toneType: 'none', type: 'array' }).join(' ');

interface Frequencies {
  total: number;
  /** Words of one or two characters (kept compactly: every process that matches text holds them). */
  short: WordCounts;
}

/** Each word of jieba's dictionary with its frequency. */
function forEachDictionaryWord(visit: (word: string, count: number) => void): void {
  for (const line of new TextDecoder('utf-8').decode(jiebaDictionary()).split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) visit(line.slice(0, space), Number.parseInt(line.slice(space + 1), 10) || 0);
  }
}

let dictionary: Frequencies | undefined;
/** Frequencies of jieba's dictionary words of one or two characters (about 126,000), and the total. */
function shortWordFrequencies(): Frequencies {
  if (dictionary) return dictionary;
  const short: [string, number][] = [];
  let total = 0;
  forEachDictionaryWord((word, count) => {
    total += count;
    if ([...word].length <= 2) short.push([word, count]);
  });
  dictionary = { total, short: new WordCounts(short) };
  return dictionary;
}

export interface SoundAlike {
  /** The vocabulary word the citizen probably meant. */
  word: string;
  start: number;
  end: number;
}

/**
 * Finds input-method typos of a vocabulary's words: a run of 2–4 Chinese characters made of
 * whole dictionary words of one or two characters (so no word is cut), that sounds exactly
 * like a vocabulary word (toneless pinyin) and is less likely as typed (the product of its
 * words' frequencies) than the word with the cost of a typo. 社宝卡 is 社保卡 and 公基金 is
 * 公积金; 谁管 stays 谁管, not 水管, since 谁 and 管 are common words and 水管 a rare one.
 */
export class SoundAlikeFinder {
  private readonly wordsBySound = new Map<string, string>();
  private readonly probability: WordProbability;
  private readonly writtenRuns = new Set<string>();

  /**
   * `vocabulary`: the words a typo may stand for. `writtenTexts`: normalised texts known to be
   * written right (the phrases themselves); a run of characters found in them is no typo
   * (厨余 in 厨余垃圾 is not 出狱, 时长 not 市场).
   */
  constructor(vocabulary: Iterable<string>, writtenTexts: Iterable<string> = []) {
    for (const text of writtenTexts) {
      const pieces = segment(text, false);
      for (let i = 0; i < pieces.length; i++) {
        let run = pieces[i];
        for (let j = i + 1; j < pieces.length && run.length + pieces[j].length <= MAX_CONTEXT_RUN; j++) {
          run += pieces[j];
          this.writtenRuns.add(run);
        }
      }
    }
    const words = new Set<string>();
    for (const word of vocabulary) {
      const length = [...word].length;
      if (length < MIN_LENGTH || length > MAX_LENGTH || !HAN.test(word)) continue;
      words.add(word);
      const sound = soundOf(word);
      if (!this.wordsBySound.has(sound)) this.wordsBySound.set(sound, word);
    }
    this.probability = new WordProbability(words);
  }

  private logProbability(word: string): number {
    return this.probability.log(word);
  }

  /**
   * Typos in normalised text whose dictionary words are `words` (in order, as jieba cut it
   * without guessing unknown words); longer runs first, no overlaps.
   */
  find(words: readonly { word: string; start: number; end: number }[]): SoundAlike[] {
    const found: SoundAlike[] = [];
    let i = 0;
    while (i < words.length) {
      let matched = 0;
      for (let length = Math.min(MAX_LENGTH, words.length - i); length >= MIN_LENGTH && matched === 0; length--) {
        const run = words.slice(i, i + length);
        if (!run.every((w) => w.end - w.start <= 2 && HAN.test(w.word))) continue;
        if (run.some((w, k) => k > 0 && w.start !== run[k - 1].end)) continue;
        const typed = run.map((w) => w.word).join('');
        if (typed.length > MAX_LENGTH || this.writtenRuns.has(typed)) continue;
        const word = this.wordsBySound.get(soundOf(typed));
        if (!word || word === typed) continue;
        const asTyped = run.reduce((sum, w) => sum + this.logProbability(w.word), 0);
        const inContext = this.writtenInContext(word, words[i - 1], run[0], words[i + length], run[length - 1]);
        const cost = inContext ? TYPO_IN_CONTEXT_PROBABILITY : TYPO_PROBABILITY;
        if (this.logProbability(word) + Math.log(cost) <= asTyped) continue;
        found.push({ word, start: run[0].start, end: run[length - 1].end });
        matched = length;
      }
      i += matched > 0 ? matched : 1;
    }
    return found;
  }

  /**
   * Whether `word`, with the text's word just before or after the run typed for it, is a run
   * of the written phrases (育儿 + 补贴: 育儿补贴), where the run as typed with it is not.
   */
  private writtenInContext(
    word: string,
    before: { word: string; end: number } | undefined,
    first: { start: number },
    after: { word: string; start: number } | undefined,
    last: { end: number },
  ): boolean {
    const fits = (run: string) => [...run].length <= MAX_CONTEXT_RUN && this.writtenRuns.has(run);
    if (before && before.end === first.start && HAN.test(before.word) && fits(before.word + word)) return true;
    return !!after && after.start === last.end && HAN.test(after.word) && fits(word + after.word);
  }
}

/** How common a word is: the vocabulary's by jieba's dictionary, any other short word's by its own count. */
class WordProbability {
  private readonly frequency = shortWordFrequencies();
  private readonly wordFrequency = new Map<string, number>();

  constructor(words: ReadonlySet<string>) {
    forEachDictionaryWord((word, count) => {
      if (words.has(word)) this.wordFrequency.set(word, count);
    });
    // A word the dictionary lacks is taken to be as common as the rarest of the words it is made of.
    for (const word of words) {
      if (this.wordFrequency.has(word)) continue;
      const pieces = segment(word, false).map((piece) => this.frequency.short.get(piece) ?? 1);
      this.wordFrequency.set(word, Math.min(...pieces));
    }
  }

  log(word: string): number {
    const count = this.wordFrequency.get(word) ?? this.frequency.short.get(word) ?? 1;
    return Math.log(Math.max(1, count) / this.frequency.total);
  }
}

/**
 * Whether a run typed as `typed` is likelier a typo of `word` (of `vocabulary`) than meant as
 * typed, by the same rule as SoundAlikeFinder: 公基金 is 公积金, but 谁管 stays 谁管.
 */
export class TypoLikelihood {
  private readonly probability: WordProbability;

  /** `typoProbability`: the cost of a typo (the recogniser's by default). */
  constructor(
    vocabulary: Iterable<string>,
    private readonly typoProbability = TYPO_PROBABILITY,
  ) {
    this.probability = new WordProbability(new Set(vocabulary));
  }

  private logProbability(word: string): number {
    return this.probability.log(word);
  }

  likelierTypo(typed: string, word: string): boolean {
    const asTyped = segment(typed, false).reduce((sum, piece) => sum + this.logProbability(piece), 0);
    return this.logProbability(word) + Math.log(this.typoProbability) > asTyped;
  }
}
