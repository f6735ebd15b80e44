import { pinyin } from 'pinyin-pro';
import { normalizeText } from './normalize';
import { segment } from './tokenize';
import { TypoLikelihood } from '../modules/needs/sound-alike';

const HAN = /^\p{Script=Han}+$/u;
const MIN_WINDOW = 2;
const MAX_WINDOW = 5;
/**
 * The cost of a typo for the matcher: higher than the recogniser's (3e-3), since the matcher
 * corrects only towards the catalogue's own words. At 0.03, 谁管 (2.8 nats likelier as 水管 than
 * typed, under the 3.5 of the cost) stays, and 迁一 → 迁移 (4.2) and 自靠 → 自考 (4.3) are corrected.
 */
const TYPO_COST = 0.03;

function soundOf(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array' }).join(' ');
}

/**
 * Corrects input-method typos against a vocabulary: most Chinese typos keep the sound of
 * the intended word (公基金 for 公积金, 社宝卡 for 社保卡, 户口迁一 for 户口迁移), so a run of
 * characters that is not a known word but sounds exactly like one is replaced by it.
 * Longer words win; a run that is itself a known word is left alone, and so is a run more
 * likely as typed than as a typo (谁管 is not 水管: TypoLikelihood).
 */
export class TypoCorrector {
  private readonly wordsBySound = new Map<string, string>();
  private readonly known: ReadonlySet<string>;
  private readonly likelihood: TypoLikelihood;

  /** `words`: the catalogue's words that a correction may produce (titles, tags). */
  constructor(words: Iterable<string>, knownWords: Iterable<string>) {
    this.known = new Set(knownWords);
    for (const word of words) {
      if (word.length < MIN_WINDOW || word.length > MAX_WINDOW || !HAN.test(word)) continue;
      const sound = soundOf(word);
      if (!this.wordsBySound.has(sound)) this.wordsBySound.set(sound, word);
    }
    this.likelihood = new TypoLikelihood(this.wordsBySound.values(), TYPO_COST);
  }

  /** Character spans [start, end) of known words of two or more characters in the text. */
  private knownSpans(normalized: string): [number, number][] {
    const spans: [number, number][] = [];
    let at = 0;
    for (const word of segment(normalized)) {
      const length = [...word].length;
      if (length >= 2 && this.known.has(word)) spans.push([at, at + length]);
      at += length;
    }
    return spans;
  }

  correct(text: string): string {
    const normalized = normalizeText(text);
    const chars = [...normalized];
    const sounds = chars.map((c) => (HAN.test(c) ? soundOf(c) : null));
    const spans = this.knownSpans(normalized);
    // A correction must not cut through a known word (医保报销 must not become 医宝宝销).
    const cutsKnownWord = (start: number, end: number) =>
      spans.some(([s, e]) => s < end && start < e && (s < start || e > end));
    let out = '';
    let i = 0;
    while (i < chars.length) {
      let replaced = false;
      for (let length = Math.min(MAX_WINDOW, chars.length - i); length >= MIN_WINDOW && !replaced; length -= 1) {
        const window = chars.slice(i, i + length);
        if (sounds.slice(i, i + length).some((s) => s === null)) continue;
        const original = window.join('');
        if (this.known.has(original)) break;
        if (cutsKnownWord(i, i + length)) continue;
        const word = this.wordsBySound.get(sounds.slice(i, i + length).join(' '));
        // Only where the run is less likely as typed than as a typo of the word: 谁管 is not 水管.
        if (word && word !== original && this.likelihood.likelierTypo(original, word)) {
          out += word;
          i += length;
          replaced = true;
        }
      }
      if (!replaced) {
        out += chars[i];
        i += 1;
      }
    }
    return out;
  }
}
