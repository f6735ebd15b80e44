import { pinyin } from 'pinyin-pro';

const HAN_WORD = /^\p{Script=Han}{2,4}$/u;
const HAN = /\p{Script=Han}/u;
const LATIN_RUN = /[a-z]+/giu;
/** Pinyin initials typed for a word have no vowel letter (sbk, gjj, sfz); English words nearly always have one. */
const VOWEL = /[aeiou]/u;
const MIN_INITIALS = 2;
const MAX_INITIALS = 4;
/** A whole word typed in pinyin (shebao, gongjijin) is at least this long. */
const MIN_SPELLED = 4;
/** Toneless pinyin syllables, one after another (shebaoka, tiqu, ban); English words rarely are (moved, help, test). */
const PINYIN_RUN = new RegExp(
  '^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u|v)|ang|eng|ai|ei|ao|ou|an|en|er|a|o|e)+$',
  'u',
);

/**
 * Words that Chinese chat writes in pinyin instead of characters: their initials (sbk for 社保卡,
 * gjj for 公积金, sfz for 身份证) or their whole toneless pinyin (shebaoka, gongjijin). A run of
 * Latin letters in a Chinese text that spells a word of the vocabulary so is read as that word;
 * where initials fit several words, the one most services use wins. Runs with a vowel are read as
 * initials never (an English word); a run that is itself a known word (hpv) or typed in capitals
 * (HK, ID: English abbreviations) is left alone. A text without Chinese is English unless each of
 * its words is a run of pinyin syllables: then it is pinyin (shebaoka, gongjijin tiqu) and its
 * whole spellings are read, never its initials (an English "my" or "by" has no vowel either).
 */
export class PinyinSpeller {
  private readonly byInitials = new Map<string, { word: string; uses: number }>();
  private readonly bySpelling = new Map<string, string>();
  private readonly known: ReadonlySet<string>;

  /** `uses`: each word that a spelling may stand for, with how many services use it; `known`: words left as typed. */
  constructor(uses: ReadonlyMap<string, number>, known: Iterable<string> = []) {
    this.known = new Set(known);
    for (const [word, count] of uses) {
      if (!HAN_WORD.test(word)) continue;
      const syllables = pinyin(word, { toneType: 'none', type: 'array', v: true });
      const initials = syllables.map((s) => s[0]).join('');
      const best = this.byInitials.get(initials);
      if (!best || count > best.uses) this.byInitials.set(initials, { word, uses: count });
      const spelled = syllables.join('');
      if (spelled.length >= MIN_SPELLED && !this.bySpelling.has(spelled)) this.bySpelling.set(spelled, word);
    }
  }

  /** The text with each run of Latin letters that spells a vocabulary word in pinyin replaced by the word. */
  spellOut(text: string): string {
    if (HAN.test(text)) return this.spellRuns(text);
    return this.isPinyinText(text) ? this.spellWholeRuns(text) : text;
  }

  /**
   * As `spellOut`, in a text without Chinese too: a search box's gongjijin or sbk, read only
   * when the search found nothing as typed.
   */
  spellOutAnyText(text: string): string {
    return this.spellRuns(text);
  }

  /** A text without Chinese whose every run is pinyin syllables (I moved from shanghai is English). */
  private isPinyinText(text: string): boolean {
    const runs = text.match(LATIN_RUN);
    return runs !== null && runs.every((run) => PINYIN_RUN.test(run.toLowerCase()));
  }

  private spellWholeRuns(text: string): string {
    return text.replace(LATIN_RUN, (run) => this.wholeSpelling(run) ?? run);
  }

  /** The word a run spells in whole toneless pinyin; none for a known word or a run in capitals (an abbreviation). */
  private wholeSpelling(run: string): string | undefined {
    const lower = run.toLowerCase();
    if (lower.length < MIN_SPELLED || run === run.toUpperCase() || this.known.has(lower)) return undefined;
    return this.bySpelling.get(lower);
  }

  private spellRuns(text: string): string {
    return text.replace(LATIN_RUN, (run) => {
      const lower = run.toLowerCase();
      // Capitals are English abbreviations (HK, ID, ETC): pinyin is typed in lower case.
      if (this.known.has(lower) || (run.length > 1 && run === run.toUpperCase())) return run;
      const spelled = lower.length >= MIN_SPELLED ? this.bySpelling.get(lower) : undefined;
      if (spelled) return spelled;
      if (lower.length < MIN_INITIALS || lower.length > MAX_INITIALS || VOWEL.test(lower)) return run;
      return this.byInitials.get(lower)?.word ?? run;
    });
  }
}
