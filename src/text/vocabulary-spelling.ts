import { PinyinSpeller } from './pinyin-spelling';
import { TypoCorrector } from './typo-correction';

/**
 * A vocabulary's reading of two kinds of slip: words typed in pinyin (`PinyinSpeller`) and
 * input-method typos that sound like a word of it (`TypoCorrector`).
 */
export class VocabularySpelling {
  private readonly corrector: TypoCorrector;
  private readonly speller: PinyinSpeller;

  /** `uses`: the words a slip may stand for, with how many services use each; `known`: words left as typed. */
  constructor(uses: ReadonlyMap<string, number>, known: ReadonlySet<string>) {
    this.corrector = new TypoCorrector(uses.keys(), known);
    this.speller = new PinyinSpeller(uses, known);
  }

  /** The text with words typed in pinyin (sbk, gongjijin) written in characters, in a text with Chinese. */
  spellOut(text: string): string {
    return this.speller.spellOut(text);
  }

  /** The text in the vocabulary's words: pinyin spelled out, then sound-alike typos corrected. */
  respell(text: string): string {
    return this.corrector.correct(this.speller.spellOut(text));
  }

  /** As `respell`, reading pinyin in a text without Chinese too (a search box's gongjijin). */
  respellAnyText(text: string): string {
    return this.corrector.correct(this.speller.spellOutAnyText(text));
  }
}
