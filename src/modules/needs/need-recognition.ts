import { isDistrictName } from '../../text/districts';
import { normalizeText } from '../../text/normalize';
import { QUERY_STOPWORDS, STOPWORDS } from '../../text/stopwords';
import { defaultSynonyms, type SynonymGroups } from '../../text/synonyms';
import { segment, stemLatin } from '../../text/tokenize';
import type { AudienceCode, AudienceKind, Need, NeedsModel } from './needs-data';
import { SoundAlikeFinder } from './sound-alike';
import { standardise, standardWordsOf, type StandardText } from './colloquial';
import { GramProfiles, gramsOf, type Gram, type GramMatch } from './character-grams';
import { NeedClassifier } from './need-classifier';

/**
 * Confidence at which a need counts as recognised (see `confidenceOf`); raised from 0.5 with the
 * need classifier, which adds to every confidence (docs/matching.md, "The need classifier").
 */
export const MIN_NEED_CONFIDENCE = 0.53;
/**
 * Score at which confidence is one half. Unit weights are scaled so that a word only one need
 * uses weighs 1: a fully matched trigger of one such word scores 1 (confidence 0.65), one of a
 * word a dozen needs share about 0.55.
 */
const HALF_CONFIDENCE_SCORE = 0.53;
/** How much the need's other trigger words found in the text add to its best trigger's score. */
const EXTRA_WORD_SHARE = 0.5;
/**
 * A need's key concepts are the words at least CONCEPT_MIN_PHRASES (and CONCEPT_MIN_SHARE) of
 * its own phrases use and that few other needs do (weight at least CONCEPT_MIN_WEIGHT): 遗嘱 for a will, 房东 for a
 * dispute with a landlord. Found in a text in any phrasing, they score CONCEPT_SHARE of their
 * weight, so that a request that shares a need's key words but none of its phrases whole is
 * still read as that need. Chosen on the tuning split (docs/matching.md).
 */
export const CONCEPT_SHARE = 0.6;
const CONCEPT_MIN_PHRASES = 2;
/** …and at least this share of them: with twenty phrases, a word two of them use (太贵) is no key concept. */
const CONCEPT_MIN_SHARE = 0.1;
const CONCEPT_MIN_WEIGHT = 0.5;
/**
 * How much a need's character-pair similarity to the text (`GramProfiles`, 0–1) adds to its
 * evidence score: what a request shares with a need's phrases below the level of whole words.
 * Chosen by cross-validation on the needs' own phrases (test/eval/needs-cv.ts), never on the
 * request sets.
 */
export const GRAM_SHARE = 0.8;
/**
 * How much the need classifier's posterior (`NeedClassifier`, 0–1) adds to a need's evidence
 * score, and how sharp that posterior is (its averaged log-likelihoods are multiplied by
 * CLASSIFIER_SHARPNESS before the softmax). Chosen by cross-validation on the needs' own phrases
 * (test/eval/needs-cv.ts), never on the request sets.
 */
export const CLASSIFIER_SHARE = 0.8;
export const CLASSIFIER_SHARPNESS = 4;
/** The prior weight (in needs) of the classifier's background class, all phrases pooled. */
export const CLASSIFIER_BACKGROUND = 50;
/**
 * The classifier's part is scaled by the share of the text's words and pairs that the needs'
 * phrases use, to this power: small talk (火锅, 咖啡, 吉他) is mostly words no need uses.
 */
export const CLASSIFIER_COVERAGE_POWER = 1;
/**
 * A text that names an animal is about that animal, unless no need for animals is read in it as
 * surely as a need must be to decide whom a request is about (ANIMAL_NEED_DECIDES, the
 * understanding's NEED_CONFIDENCE; a weaker reading is weak evidence) and a need for people is read
 * at least ANIMAL_IN_PASSING_CONFIDENCE: then the animal is named in passing (暴雨把猪圈和厨房冲垮了,
 * 养猪场污水直排河里). Chosen with test/eval/needs-cv.ts, no request file read: at 0.8 five phrases of
 * pet and livestock gaps left out of the needs (topics no need covers) were read as people's needs;
 * from 0.85 none are.
 */
export const ANIMAL_IN_PASSING_CONFIDENCE = 0.85;
const ANIMAL_NEED_DECIDES = 0.63;
/** A need the classifier gives less than this is not proposed by it. */
const CLASSIFIER_LEAST = 0.02;
/** Longest run of words a synonym may span ("driver's license" is 3). */
const MAX_SYNONYM_WORDS = 4;

const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
const NOT_A_WORD = /[^\p{L}\p{N}]/u;
const HAN = /^\p{Script=Han}+$/u;

/** A unit of meaning in a text: a word or a synonym's canonical term, where it is in the normalised text. */
interface Unit {
  unit: string;
  start: number;
  end: number;
}

interface Word {
  word: string;
  start: number;
  end: number;
}

/** Words of normalised text as jieba's accurate mode cuts them, with their offsets; English plurals stemmed. */
function wordsOf(normalized: string): Word[] {
  const words: Word[] = [];
  let offset = 0;
  for (const piece of segment(normalized, false)) {
    const start = offset;
    offset += piece.length;
    if (!HAS_WORD_CHARACTER.test(piece) || NOT_A_WORD.test(piece)) continue;
    words.push({ word: stemLatin(piece), start, end: offset });
  }
  return words;
}

/**
 * Time and filler words of spoken requests (每个 月, 今年, 现在, 听说 …): no need is told apart by
 * them, but a rare one in the needs' phrases would weigh as if it were.
 */
const FILLER_WORDS = new Set([
  '每个',
  '每月',
  '月',
  '年',
  '今年',
  '明年',
  '去年',
  '今天',
  '明天',
  '昨天',
  '后天',
  '周末',
  '上个月',
  '下个月',
  '这个月',
  '上周',
  '下周',
  '现在',
  '最近',
  '刚',
  '刚刚',
  '几个',
  '一直',
  '已经',
  '哪',
  '时候',
  '一场',
  '一半',
  '那边',
  '这边',
  '东西',
  '那些',
  '这些',
  '一些',
  '点',
  '还是',
  '就是',
  '然后',
  '但是',
  '可是',
  '因为',
  '所以',
  '如果',
  '的话',
  '好像',
  '听说',
  '问问',
  '问一下',
  '谢谢',
  '您好',
  '你好',
  '麻烦',
  '一下子',
  '突然',
]);
const isStopword = (word: string) => STOPWORDS.has(word) || QUERY_STOPWORDS.has(word) || FILLER_WORDS.has(word);

/**
 * Reads texts as units: whole words only (a synonym never matches inside another word, so
 * "cat" is not found in "certificate"), each synonym, of one word or a run of words, folded
 * into its group's canonical term, stop words dropped. Triggers and requests are read alike.
 */
export class UnitReader {
  private readonly single = new Map<string, string>();
  private readonly runs = new Map<string, string>();

  constructor(synonyms: SynonymGroups = defaultSynonyms) {
    for (const [member, canonical] of synonyms.canonicalOf) {
      const words = wordsOf(member).map((w) => w.word);
      if (words.length === 1) this.single.set(words[0], canonical);
      else if (words.length > 1 && words.length <= MAX_SYNONYM_WORDS) this.runs.set(words.join(' '), canonical);
    }
  }

  /** Units of already normalised text, in order. */
  unitsOf(normalized: string): Unit[] {
    const words = wordsOf(normalized);
    const units: Unit[] = [];
    for (let i = 0; i < words.length;) {
      let run = 0;
      for (let n = Math.min(MAX_SYNONYM_WORDS, words.length - i); n >= 2 && run === 0; n--) {
        const canonical = this.runs.get(
          words
            .slice(i, i + n)
            .map((w) => w.word)
            .join(' '),
        );
        if (canonical) {
          units.push({ unit: canonical, start: words[i].start, end: words[i + n - 1].end });
          run = n;
        }
      }
      if (run > 0) {
        i += run;
        continue;
      }
      const { word, start, end } = words[i++];
      if (isStopword(word)) continue;
      units.push({ unit: this.single.get(word) ?? word, start, end });
    }
    return units;
  }
}

/**
 * Words that say a request is about an animal; read through the synonyms (狗, 猫, dog … fold into
 * 宠物). Farm animals are animals too: no service for people meets a sick pig or a cow's vaccine.
 */
const ANIMAL_WORDS = [
  '宠物',
  '动物',
  '狗',
  '猫',
  '犬',
  'pet',
  'dog',
  'cat',
  'animal',
  'livestock',
  'pig',
  'cattle',
  'cow',
  'sheep',
  'goat',
  'poultry',
];
/**
 * Chinese words for farm animals and their care, as whole words (so 牛奶, 鸡蛋, 杀猪盘 and 辣子鸡
 * are not): 猪, 养鸡场, 鸡瘟, 口蹄疫, 兽医 ….
 */
const FARM_ANIMAL_WORD =
  /^(?:养|生|母|仔|肉|奶|黄|山|绵|土)?[猪牛羊鸡鸭鹅兔](?:场|圈|棚|舍|瘟|苗|崽|仔)?$|^(?:鸡瘟|猪瘟|禽流感|口蹄疫|兽医站?|畜牧站?|畜禽|家禽|牲畜|牲口)$/u;
/** Chinese words built on them are about animals too (流浪狗, 狗证, 宠物医院), except these. */
const ANIMAL_CHARACTERS = /[狗猫犬]|宠物/;
/** The animal did something to the person (被狗咬了, 被邻居家的猫抓伤, bitten by a dog): it is not the subject. */
const ANIMAL_AS_AGENT = new RegExp(
  [
    '被[^，。,.!?！？]{0,6}?(狗|猫|犬|宠物)',
    '\\b(bitten|scratched|attacked|bit) by (a |an |the |my |our )?\\w*\\s?(dog|cat|pet)',
  ].join('|'),
);
const NOT_ABOUT_ANIMALS = new Set([
  '热狗',
  '狗仔',
  '狗仔队',
  '猫眼',
  '熊猫',
  '熊猫血',
  '猫腻',
  '躲猫猫',
  '猫步',
  '宠物店',
  '宠物用品',
]);

/** Where a phrase comes from: the need's trigger phrases, its names, or the published services that meet it. */
export type PhraseSource = 'TRIGGER' | 'NEED_NAME' | 'SERVICE';

/** Evidence of a phrase by its source: a service's title or tag is how the city names it, not how citizens do. */
const SOURCE_WEIGHT: Record<PhraseSource, number> = { TRIGGER: 1, NEED_NAME: 1, SERVICE: 0.8 };

interface Trigger {
  need: Need;
  phrase: string;
  source: PhraseSource;
  units: string[];
  weight: number;
  aboutAnimal: boolean;
}

export interface NeedRecogniserOptions {
  synonyms?: SynonymGroups;
  /**
   * Titles and tags of the published services, by service code: with them a need is also
   * recognised from the words of the services that meet it (a need no published service meets
   * keeps its own phrases only).
   */
  servicePhrases?: ReadonlyMap<string, readonly string[]>;
  /** Read input-method typos of the phrases' words as the words (社宝卡 as 社保卡); on by default. */
  typos?: boolean;
  /** Share of their weight a need's key concepts score (CONCEPT_SHARE by default; 0 turns them off). */
  conceptShare?: number;
  /** What character-pair similarity adds to a need's score (GRAM_SHARE by default; 0 turns it off). */
  gramShare?: number;
  /** What the classifier's posterior adds to a need's score (CLASSIFIER_SHARE by default; 0 turns it off). */
  classifierShare?: number;
  /** The classifier's sharpness (CLASSIFIER_SHARPNESS by default). */
  classifierSharpness?: number;
  /** The classifier's background weight (CLASSIFIER_BACKGROUND by default). */
  classifierBackground?: number;
  /** The power of the text's coverage that scales the classifier's part (CLASSIFIER_COVERAGE_POWER by default). */
  classifierCoveragePower?: number;
}

/** The classifier's features of a text: its units and its character pairs. */
function featuresOf(units: Iterable<string>, normalized: string): string[] {
  const features: string[] = [];
  for (const unit of units) features.push(`w:${unit}`);
  for (const gram of gramsOf(normalized)) features.push(`g:${gram.gram}`);
  return features;
}

/**
 * The phrases of services for NeedRecogniserOptions.servicePhrases: title and tags, but for a tag
 * that is only a district's name (白云区, 开阳): it says where a service is, not what need it meets,
 * and as a need's phrase it would read any request from that district as that need.
 */
export function servicePhrasesOf(
  services: readonly { code: string; title: string; tags: readonly string[] }[],
): Map<string, string[]> {
  return new Map(services.map((s) => [s.code, [s.title, ...s.tags.filter((tag) => !isDistrictName(tag))]]));
}

export interface RecognisedNeed {
  need: Need;
  /** 0–1: how surely the text expresses the need. */
  confidence: number;
  /**
   * The confidence from the need's own phrases alone (trigger words and character pairs), without
   * the need classifier's part: how surely the text repeats what was written for this need, not
   * which need its words are nearest to.
   */
  ownConfidence: number;
  /** The phrase that matched best, as written in the needs data (or the catalogue, for a service's). */
  phrase: string;
  source: PhraseSource;
  /** The words of the text that matched it (normalised). */
  words: string[];
  /** The citizen's own words, from the first matched word to the last. */
  excerpt: string;
}

export interface Recognition {
  needs: RecognisedNeed[];
  /** Kinds of subject the text names outright (an animal); needs for another kind were set aside. */
  subjects: AudienceKind[];
}

export interface RecogniseOptions {
  minConfidence?: number;
  limit?: number;
}

/** Maps a need's evidence score to 0–1, one half at HALF_CONFIDENCE_SCORE. */
export const confidenceOf = (score: number) => (score <= 0 ? 0 : score / (score + HALF_CONFIDENCE_SCORE));

/**
 * Recognises the needs a free text expresses, from the trigger phrases of the needs model.
 *
 * Each unit of a trigger weighs ln(1 + N / df) / ln(1 + N), N the number of needs and df the
 * number of needs whose triggers use it: a word many needs share (孩子, 办) says little about
 * which one.
 * A trigger scores the weight of its units found in the text times the share of its weight
 * found (a trigger half found scores a quarter of a trigger found whole); a need scores its
 * best trigger plus half the weight of its other trigger words found in the text; to that it
 * adds its character-pair similarity (GRAM_SHARE) and its posterior in a naive Bayes classifier
 * trained on all the needs' phrases (CLASSIFIER_SHARE). A need for an animal is set aside when the text names none, and a need for people when the text names
 * an animal that no fully matched trigger of that need explains; when one does (被狗咬了 is a
 * person's need), the animal is the cause and the needs for animals are set aside instead.
 */
export class NeedRecogniser {
  private readonly reader: UnitReader;
  private readonly triggers: Trigger[] = [];
  private readonly triggersOfUnit = new Map<string, number[]>();
  private readonly weight = new Map<string, number>();
  private readonly vocabulary = new Map<string, Set<string>>();
  private readonly animalUnits: ReadonlySet<string>;
  private readonly soundAlikes: SoundAlikeFinder | null;
  private readonly concepts = new Map<string, Set<string>>();
  private readonly conceptShare: number;
  private readonly gramShare: number;
  private readonly grams: GramProfiles | null;
  private readonly triggersOfNeed = new Map<string, number[]>();
  private readonly gramsOfTrigger: Set<string>[] = [];
  private readonly classifier: NeedClassifier | null;
  private readonly classifierShare: number;
  private readonly classifierSharpness: number;
  private readonly classifierBackground: number;
  private readonly classifierCoveragePower: number;
  /** 老人 as the reader reads it (through the synonyms). */
  private readonly olderPerson: string;
  /** 开店 as the reader reads it. */
  private readonly openingAShop: string[];
  /** 大病 as the reader reads it. */
  private readonly seriousIllness: string[];
  /** 办退休 as the reader reads it. */
  private readonly retiring: string[];
  /** 残疾人 as the reader reads it. */
  private readonly disabledPerson: string[];
  /** 缴费年限不够 as the reader reads it. */
  private readonly contributionShortfall: string[];
  /** Words for a child as the reader reads them. */
  private readonly childUnits: ReadonlySet<string>;

  constructor(
    private readonly model: NeedsModel,
    options: NeedRecogniserOptions = {},
  ) {
    this.reader = new UnitReader(options.synonyms ?? defaultSynonyms);
    const unitsOf = (text: string) => this.reader.unitsOf(normalizeText(standardWordsOf(text))).map((u) => u.unit);
    this.animalUnits = new Set(ANIMAL_WORDS.flatMap(unitsOf));
    this.olderPerson = unitsOf('老人')[0];
    this.openingAShop = unitsOf('开店');
    this.seriousIllness = unitsOf('大病');
    this.contributionShortfall = unitsOf('缴费年限不够');
    this.disabledPerson = unitsOf('残疾人');
    this.retiring = unitsOf('办退休');
    this.childUnits = new Set(CHILD_WORDS.flatMap(unitsOf));
    const needsOfUnit = new Map<string, Set<string>>();
    const read: { need: Need; phrase: string; source: PhraseSource; units: string[] }[] = [];
    for (const need of model.needs) {
      const vocabulary = new Set<string>();
      const phrases: [string, PhraseSource][] = [
        ...need.triggers.map((t): [string, PhraseSource] => [t, 'TRIGGER']),
        [need.name, 'NEED_NAME'],
        [need.nameEn, 'NEED_NAME'],
        ...need.services.flatMap((code) =>
          (options.servicePhrases?.get(code) ?? []).map((t): [string, PhraseSource] => [t, 'SERVICE']),
        ),
      ];
      for (const [phrase, source] of phrases) {
        const units = [...new Set(unitsOf(phrase))];
        if (units.length === 0) continue;
        read.push({ need, phrase, source, units });
        for (const unit of units) {
          vocabulary.add(unit);
          const needs = needsOfUnit.get(unit) ?? new Set<string>();
          needs.add(need.code);
          needsOfUnit.set(unit, needs);
        }
      }
      this.vocabulary.set(need.code, vocabulary);
    }
    const needCount = model.needs.length;
    const rarest = Math.log(1 + needCount);
    for (const [unit, needs] of needsOfUnit) this.weight.set(unit, Math.log(1 + needCount / needs.size) / rarest);
    this.conceptShare = options.conceptShare ?? CONCEPT_SHARE;
    this.findConcepts(read);
    const written = read.map((r) => normalizeText(standardWordsOf(r.phrase)));
    this.soundAlikes = options.typos === false ? null : new SoundAlikeFinder(this.weight.keys(), written);
    this.gramShare = options.gramShare ?? GRAM_SHARE;
    const phrasesOfNeed = new Map<string, { text: string; weight: number }[]>();
    read.forEach(({ need, source }, i) => {
      const list = phrasesOfNeed.get(need.code) ?? [];
      list.push({ text: written[i], weight: SOURCE_WEIGHT[source] });
      phrasesOfNeed.set(need.code, list);
      this.gramsOfTrigger.push(new Set(gramsOf(written[i]).map((g) => g.gram)));
    });
    this.grams =
      this.gramShare > 0 ? new GramProfiles([...phrasesOfNeed].map(([code, phrases]) => ({ code, phrases }))) : null;
    this.classifierShare = options.classifierShare ?? CLASSIFIER_SHARE;
    this.classifierSharpness = options.classifierSharpness ?? CLASSIFIER_SHARPNESS;
    this.classifierBackground = options.classifierBackground ?? CLASSIFIER_BACKGROUND;
    this.classifierCoveragePower = options.classifierCoveragePower ?? CLASSIFIER_COVERAGE_POWER;
    this.classifier =
      this.classifierShare > 0
        ? NeedClassifier.train(
            read.map(({ need, source, units }, i) => ({
              label: need.code,
              features: featuresOf(units, written[i]),
              weight: SOURCE_WEIGHT[source],
            })),
          )
        : null;
    this.indexTriggers(read);
  }

  /** Each phrase read becomes a trigger, indexed by its need and by each of its units. */
  private indexTriggers(read: readonly { need: Need; phrase: string; source: PhraseSource; units: string[] }[]): void {
    for (const { need, phrase, source, units } of read) {
      const index = this.triggers.length;
      const ofNeed = this.triggersOfNeed.get(need.code) ?? [];
      ofNeed.push(index);
      this.triggersOfNeed.set(need.code, ofNeed);
      this.triggers.push({
        need,
        phrase,
        source,
        units,
        weight: units.reduce((sum, unit) => sum + this.weight.get(unit)!, 0),
        aboutAnimal: units.some((unit) => this.isAboutAnimal(unit)),
      });
      for (const unit of units) {
        const list = this.triggersOfUnit.get(unit) ?? [];
        list.push(index);
        this.triggersOfUnit.set(unit, list);
      }
    }
  }

  private findConcepts(read: readonly { need: Need; source: PhraseSource; units: string[] }[]): void {
    const phrasesWith = new Map<string, Map<string, number>>();
    for (const { need, source, units } of read) {
      if (source === 'SERVICE') continue;
      const counts = phrasesWith.get(need.code) ?? new Map<string, number>();
      for (const unit of units) counts.set(unit, (counts.get(unit) ?? 0) + 1);
      phrasesWith.set(need.code, counts);
    }
    for (const [code, counts] of phrasesWith) {
      const concepts = new Set<string>();
      const phrases = read.filter((r) => r.need.code === code && r.source !== 'SERVICE').length;
      const least = Math.max(CONCEPT_MIN_PHRASES, CONCEPT_MIN_SHARE * phrases);
      for (const [unit, count] of counts) {
        if (count >= least && this.weight.get(unit)! >= CONCEPT_MIN_WEIGHT) concepts.add(unit);
      }
      this.concepts.set(code, concepts);
    }
  }

  /** The need's phrase that shares the most of the text's character pairs (for a need recognised by them alone). */
  private triggerSharingMost(code: string, grams: readonly Gram[]): Trigger | null {
    let best: Trigger | null = null;
    let most = 0;
    for (const index of this.triggersOfNeed.get(code) ?? []) {
      const own = this.gramsOfTrigger[index];
      const shared = new Set(grams.filter((g) => own.has(g.gram)).map((g) => g.gram)).size;
      if (shared > most) {
        most = shared;
        best = this.triggers[index];
      }
    }
    return best;
  }

  private isAboutAnimal(unit: string): boolean {
    if (this.animalUnits.has(unit)) return true;
    if (!HAN.test(unit)) return false;
    return (ANIMAL_CHARACTERS.test(unit) && !NOT_ABOUT_ANIMALS.has(unit)) || FARM_ANIMAL_WORD.test(unit);
  }

  recognise(text: string, options: RecogniseOptions = {}): Recognition {
    const minConfidence = options.minConfidence ?? MIN_NEED_CONFIDENCE;
    const limit = options.limit ?? 5;
    const standard = standardise(text);
    const normalized = normalizeText(standard.text);
    let units = withShopOpened(
      withOlderPerson(this.unitsWithSoundAlikes(normalized), normalized, this.olderPerson),
      normalized,
      this.openingAShop,
    );
    const years = pensionContributionYears(normalized);
    const named: [RegExp, readonly string[]][] = [
      [SERIOUS_ILLNESS, this.seriousIllness],
      [contributionShortfallPattern(years), this.contributionShortfall],
      [DISABILITY_DESCRIBED, this.disabledPerson],
      [contributionCompletePattern(years), this.retiring],
    ];
    for (const [pattern, added] of named) units = withNamed(units, normalized, pattern, added);
    const present = new Set(units.map((u) => u.unit));
    const aboutAnimal = units.some((u) => this.isAboutAnimal(u.unit));

    const candidates = this.triggerCandidates(present);
    const gramMatches = this.addGramCandidates(candidates, normalized);
    const classified = this.addClassifiedCandidates(candidates, present, normalized);
    const aboutAnAnimal = aboutAnimal && !this.animalIsCause(candidates, normalized);

    const reading: TextReading = { text, standard, normalized, units, present, gramMatches, classified };
    const scored: { need: RecognisedNeed; forAnimal: boolean; explainsAnimal: boolean }[] = [];
    for (const [code, candidate] of candidates) {
      const need = this.recognisedOf(code, candidate, reading, Math.min(minConfidence, MIN_NEED_CONFIDENCE));
      if (need) scored.push({ need, forAnimal: this.isForAnimal(need.need), explainsAnimal: candidate.explainsAnimal });
    }
    // An animal named in passing (a pigsty in a flood, a pig farm's sewage) is not what the request
    // is about when no need for animals is read and a need for people is read surely.
    const incidental =
      aboutAnimal &&
      !scored.some((s) => s.forAnimal && s.need.confidence >= ANIMAL_NEED_DECIDES) &&
      scored.some((s) => !s.forAnimal && s.need.confidence >= ANIMAL_IN_PASSING_CONFIDENCE);
    const animalSubject = aboutAnAnimal && !incidental;
    const recognised = scored
      .filter(({ need, forAnimal, explainsAnimal }) => {
        if (need.confidence < minConfidence) return false;
        if (forAnimal && !animalSubject) return false;
        return !(aboutAnimal && !incidental && !forAnimal && !explainsAnimal);
      })
      .map((s) => s.need);
    const ranked = this.byGenerationNamed(recognised, present).filter((n) => n.confidence >= minConfidence);
    ranked.sort((a, b) => b.confidence - a.confidence || a.need.code.localeCompare(b.need.code));
    return { needs: ranked.slice(0, limit), subjects: animalSubject ? ['ANIMAL'] : [] };
  }

  /**
   * A text that names an older person and no child is not about a child, and one that names a
   * child and no older person is not about an older person: a need only for the other generation
   * ranks lower (OTHER_GENERATION_SHARE of its confidence; its own evidence, which decides whether
   * the request is met, is unchanged). 我奶奶瘫在床上，我一个人照顾她 shares 瘫在床上 with a
   * child whose parent is bedridden, but is about the grandmother.
   */
  private byGenerationNamed(needs: RecognisedNeed[], present: ReadonlySet<string>): RecognisedNeed[] {
    const older = present.has(this.olderPerson);
    const child = [...present].some((unit) => this.childUnits.has(unit));
    if (older === child) return needs;
    const other: AudienceCode = older ? 'child' : 'older-person';
    return needs.map((n) =>
      n.need.audiences.length === 1 && n.need.audiences[0] === other
        ? { ...n, confidence: Math.round(n.confidence * OTHER_GENERATION_SHARE * 1000) / 1000 }
        : n,
    );
  }

  /** The text's units, with the known words its sound-alike typos stand for. */
  private unitsWithSoundAlikes(normalized: string): Unit[] {
    const units = this.reader.unitsOf(normalized);
    if (this.soundAlikes) {
      const known = new Set(units.map((u) => u.unit));
      for (const typo of this.soundAlikes.find(wordsOf(normalized))) {
        if (!known.has(typo.word)) units.push({ unit: typo.word, start: typo.start, end: typo.end });
      }
    }
    return units;
  }

  /** Each need with a trigger sharing units with the text, with its best-scoring trigger. */
  private triggerCandidates(present: ReadonlySet<string>): Map<string, Candidate> {
    const matchedWeight = new Map<number, number>();
    for (const unit of present) {
      for (const index of this.triggersOfUnit.get(unit) ?? []) {
        matchedWeight.set(index, (matchedWeight.get(index) ?? 0) + this.weight.get(unit)!);
      }
    }
    const candidates = new Map<string, Candidate>();
    for (const [index, matched] of matchedWeight) {
      const trigger = this.triggers[index];
      const whole = matched >= trigger.weight - 1e-9;
      const share = matched / trigger.weight;
      const score = matched * share * share * SOURCE_WEIGHT[trigger.source];
      const candidate = candidates.get(trigger.need.code);
      const explainsAnimal = trigger.aboutAnimal && whole;
      if (!candidate) candidates.set(trigger.need.code, { best: trigger, bestScore: score, explainsAnimal });
      else {
        candidate.explainsAnimal ||= explainsAnimal;
        const better =
          score > candidate.bestScore || (score === candidate.bestScore && trigger.phrase < candidate.best.phrase);
        if (better) {
          candidate.best = trigger;
          candidate.bestScore = score;
        }
      }
    }
    return candidates;
  }

  /** Adds the needs whose phrases share character pairs with the text; returns those matches. */
  private addGramCandidates(candidates: Map<string, Candidate>, normalized: string): Map<string, GramMatch> {
    const gramMatches = this.grams?.match(normalized) ?? new Map<string, GramMatch>();
    for (const [code, { grams }] of gramMatches) {
      if (candidates.has(code)) continue;
      const best = this.triggerSharingMost(code, grams);
      if (best) candidates.set(code, { best, bestScore: 0, explainsAnimal: false });
    }
    return gramMatches;
  }

  /** Adds the needs the classifier proposes; returns its posterior of each, scaled by the text's coverage. */
  private addClassifiedCandidates(
    candidates: Map<string, Candidate>,
    present: ReadonlySet<string>,
    normalized: string,
  ): Map<string, number> {
    const classified = new Map<string, number>();
    if (!this.classifier) return classified;
    const textGrams = gramsOf(normalized);
    const features = featuresOf(present, normalized);
    const coverage = this.classifier.coverage(features) ** this.classifierCoveragePower;
    for (const { code, probability } of this.classifier.posterior(
      features,
      this.classifierSharpness,
      CLASSIFIER_LEAST,
      this.classifierBackground,
    )) {
      classified.set(code, probability * coverage);
      if (candidates.has(code)) continue;
      const best = this.triggerSharingMost(code, textGrams);
      if (best) candidates.set(code, { best, bestScore: 0, explainsAnimal: false });
    }
    return classified;
  }

  private isForAnimal(need: Need): boolean {
    return this.model.audienceKinds(need).has('ANIMAL');
  }

  /**
   * An animal that acted on the person (被狗咬了), or that a person's need fully explains unless
   * a need for animals matches better (狗咬人了谁管), is the cause, not the subject: the request
   * is then about a person, and needs for animals are set aside too.
   */
  private animalIsCause(candidates: ReadonlyMap<string, Candidate>, normalized: string): boolean {
    const bestScore = (forAnimal: boolean, explaining: boolean) =>
      Math.max(
        0,
        ...[...candidates.values()]
          .filter((c) => this.isForAnimal(c.best.need) === forAnimal && (!explaining || c.explainsAnimal))
          .map((c) => c.bestScore),
      );
    return (
      (bestScore(false, true) > 0 && bestScore(false, true) >= bestScore(true, false)) ||
      (candidates.size > 0 && ANIMAL_AS_AGENT.test(normalized))
    );
  }

  /** What recognise answers of a candidate need, or null below the confidence asked for. */
  private recognisedOf(
    code: string,
    { best, bestScore }: Candidate,
    reading: TextReading,
    minConfidence: number,
  ): RecognisedNeed | null {
    const { present, normalized, units } = reading;
    let extra = 0;
    for (const unit of this.vocabulary.get(code)!) {
      if (present.has(unit) && !best.units.includes(unit)) extra += this.weight.get(unit)!;
    }
    let concept = 0;
    for (const unit of this.concepts.get(code) ?? []) if (present.has(unit)) concept += this.weight.get(unit)!;
    const byGrams = reading.gramMatches.get(code);
    const own =
      Math.max(bestScore + EXTRA_WORD_SHARE * extra, this.conceptShare * concept) +
      this.gramShare * (byGrams?.similarity ?? 0);
    const confidence = confidenceOf(own + this.classifierShare * (reading.classified.get(code) ?? 0));
    if (confidence < minConfidence) return null;
    let matched = units.filter((u) => best.units.includes(u.unit));
    let words = [...new Set(matched.map((u) => u.unit))];
    if (matched.length === 0 && byGrams) {
      matched = byGrams.grams.map((g) => ({ unit: g.gram, start: g.start, end: g.end }));
      words = wordsCovered(normalized, matched);
    }
    return {
      need: best.need,
      confidence: Math.round(confidence * 1000) / 1000,
      ownConfidence: Math.round(confidenceOf(own) * 1000) / 1000,
      phrase: best.phrase,
      source: best.source,
      words,
      excerpt: excerptOf(reading.text, reading.standard, normalized, matched),
    };
  }
}

/** Words that name a child (in standard words: 娃儿 is 孩子 by then). */
const CHILD_WORDS = [
  '孩子',
  '小孩',
  '儿童',
  '儿子',
  '女儿',
  '宝宝',
  '婴儿',
  '新生儿',
  '孙子',
  '孙女',
  '外孙',
  '学生',
  '娃',
];
/** The share of its confidence a need only for the other generation than the one named keeps (`byGenerationNamed`). */
const OTHER_GENERATION_SHARE = 0.9;

/** Relatives of a generation that is old by itself (in standard words, colloquial.ts). */
const GRANDPARENTS = new Set(['祖父', '祖母']);
const PARENTS = new Set(['父亲', '母亲', '父母']);
/** Words that say someone is old: their age, their years, their retirement. */
const OLD_AGE = /年纪|岁数|年龄大|上了年龄|老了|[六七八九]十|(?<!\d)[6-9]\d\s*岁|退休|高龄|八旬|七旬/u;

/**
 * The text's units, with 老人 where it speaks of an older person by kinship: a grandparent, or a
 * parent whose age it gives (我父亲年纪大了, 我母亲七十多了). The needs' phrases for older people
 * mostly say 老人; a request says 我爸 and 年纪大了, and without this reads as needs whose phrases
 * share 年纪大了 (an older job seeker) rather than as an older person's.
 */
function withOlderPerson(units: Unit[], normalized: string, olderPerson: string): Unit[] {
  if (units.some((u) => u.unit === olderPerson)) return units;
  const elder =
    units.find((u) => GRANDPARENTS.has(u.unit)) ??
    (OLD_AGE.test(normalized) ? units.find((u) => PARENTS.has(u.unit)) : undefined);
  return elder ? [...units, { unit: olderPerson, start: elder.start, end: elder.end }] : units;
}

/**
 * A serious illness named (肺癌, 乳腺癌, 肿瘤, 白血病, 尿毒症, 化疗): the needs' phrases for the
 * costs of one mostly say 大病 or 重病, a citizen the illness itself. Dialysis is left out: it is
 * the chronic illnesses' outpatient benefit as much as a serious illness.
 */
const SERIOUS_ILLNESS = /癌|肿瘤|白血病|尿毒症|绝症|重病|重症|[化放]疗/u;

/** The text's units, with `added` (the units of a standard word) where `pattern` is found and they are not. */
function withNamed(units: Unit[], normalized: string, pattern: RegExp, added: readonly string[]): Unit[] {
  if (added.length === 0 || added.every((unit) => units.some((u) => u.unit === unit))) return units;
  const found = pattern.exec(normalized);
  if (!found) return units;
  const at = { start: found.index, end: found.index + found[0].length };
  return [...units, ...added.filter((unit) => !units.some((u) => u.unit === unit)).map((unit) => ({ unit, ...at }))];
}

/**
 * A disability described, not named (眼睛看不见了, 耳朵听不见, 腿截肢了, 坐轮椅): the needs' phrases
 * for disabled people mostly say 残疾 or 残疾人, so the text also holds 残疾人. Being bedridden is
 * left out: it is an older person's care as much.
 */
const DISABILITY_DESCRIBED =
  /眼睛看不[见到清]|看不见东西|失明|瞎了|双目|耳朵听不[见到]|听不见了|耳聋|聋了|聋哑|哑巴|截肢|装了?假肢|坐轮椅|身心障碍/u;

/** Years of contribution said in figures or in Chinese numerals: 交了13年, 只缴了八年, 交满十二年. */
const CONTRIBUTED_YEARS =
  /[交缴](?:了|满|够)?(?:只|才|就)?\s*(\d{1,2}|[一二三四五六七八九十两]{1,3})\s*(多)?\s*(?:个)?年/u;
/** A pension's context: the pension insurance, retirement, reaching the age of it. */
const PENSION_CONTEXT = /养老|退休|到点|到龄|到年龄|到年纪|满六十|满60|领养老金/u;
/** The least years of contribution a pension is paid after. */
const PENSION_MIN_YEARS = 15;
const CHINESE_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A number of one or two digits, in figures (13) or in Chinese numerals (十三, 八, 二十), or NaN. */
export function smallNumber(written: string): number {
  if (/^\d+$/u.test(written)) return Number(written);
  const m = /^([一二三四五六七八九两])?(十)?([一二三四五六七八九])?$/u.exec(written);
  if (!m || written === '') return Number.NaN;
  if (!m[2]) return m[3] ? Number.NaN : (CHINESE_DIGIT[m[1] ?? ''] ?? Number.NaN);
  return (m[1] ? CHINESE_DIGIT[m[1]] : 1) * 10 + (m[3] ? CHINESE_DIGIT[m[3]] : 0);
}

/**
 * The years of pension contribution a text gives (二十多年 is 21) where it speaks of a pension
 * (retirement, the pension insurance, its age), or NaN.
 */
function pensionContributionYears(normalized: string): number {
  if (!PENSION_CONTEXT.test(normalized)) return Number.NaN;
  const found = CONTRIBUTED_YEARS.exec(normalized);
  return found ? smallNumber(found[1]) + (found[2] ? 1 : 0) : Number.NaN;
}

/**
 * A pension contribution of fewer years than a pension is paid after (养老保险交了13年, 社保只缴了
 * 八年, with retirement or the pension in the text): the text also holds 缴费年限不够, the words of
 * the service for it, since a citizen gives the years and the needs' phrases mostly the shortfall.
 * A pattern that finds nothing when the years are 15 or more, or no pension is spoken of (NaN).
 */
function contributionShortfallPattern(years: number): RegExp {
  return years < PENSION_MIN_YEARS ? CONTRIBUTED_YEARS : NOTHING;
}

/**
 * A pension contribution of the years a pension is paid after, or more (在厂里交了二十多年, with
 * the pension's age or retirement in the text): the text also holds 办退休, the words of claiming
 * the pension.
 */
function contributionCompletePattern(years: number): RegExp {
  return years >= PENSION_MIN_YEARS ? CONTRIBUTED_YEARS : NOTHING;
}
const NOTHING = /(?!)/u;

/** The verb of opening a shop, as jieba cuts it (开, 想开, 开个, 开了个, 开间). */
const OPENING = /^(?:想|要)?开(?:了)?(?:个|家|间)?$/u;
/** Before the verb, a shop someone else opened: newly (新开了个火锅店), next door, downstairs. */
const NEIGHBOURS_SHOP = /^(?:新|楼下|楼上|隔壁|对面|附近|旁边)$/u;
/** What may stand between the verb and the shop: a measure word. */
const MEASURE = /^(?:一|了|一个|一家|一间|个|家|间)$/u;
/** A shop, a restaurant, a stall (咖啡店, 火锅店, 早餐铺, 网吧, coffee shop; 吧 alone ends a sentence). */
const SHOP =
  /(?:[店馆铺摊]|.[厅吧]|铺子|门面|^(?:shop|store|cafe|café|restaurant|bar|salon|stall|bakery|boutique)s?)$/u;

/**
 * Opening a shop of any kind (开个咖啡店, 开家火锅店, 开间书店, 开个 coffee shop) is opening a
 * shop: the needs' phrases name some shops (开奶茶店, 开理发店), a citizen any other, so the text
 * also holds 开店. The verb must stand alone before the shop (开车去饭店 is no opening: 开车), and
 * a shop opened next door or newly (楼下新开了个火锅店, 隔壁开了个麻将馆) is someone else's.
 */
function withShopOpened(units: Unit[], normalized: string, openingAShop: readonly string[]): Unit[] {
  if (openingAShop.length === 0 || openingAShop.every((unit) => units.some((u) => u.unit === unit))) return units;
  const pieces = segment(normalized, false);
  let offset = 0;
  const starts = pieces.map((piece) => {
    const start = offset;
    offset += piece.length;
    return start;
  });
  for (let i = 0; i < pieces.length; i++) {
    if (!OPENING.test(pieces[i]) || (i > 0 && NEIGHBOURS_SHOP.test(pieces[i - 1]))) continue;
    let j = i + 1;
    const skip = () => {
      while (j < pieces.length && (pieces[j].trim() === '' || MEASURE.test(pieces[j]))) j++;
    };
    skip();
    // The shop's name: one or two words (咖啡店; 早餐 铺; coffee shop).
    for (let words = 0; words < 2 && j < pieces.length; words++) {
      if (SHOP.test(pieces[j])) {
        const at = { start: starts[i], end: starts[j] + pieces[j].length };
        return [...units, ...openingAShop.map((unit) => ({ unit, ...at }))];
      }
      j++;
      skip();
    }
  }
  return units;
}

/** A need a text may be read as: its best-scoring trigger, and whether that trigger explains an animal named. */
interface Candidate {
  best: Trigger;
  bestScore: number;
  explainsAnimal: boolean;
}

/** What recognise has read of a text, for scoring each candidate need. */
interface TextReading {
  text: string;
  standard: StandardText;
  normalized: string;
  units: Unit[];
  present: ReadonlySet<string>;
  gramMatches: ReadonlyMap<string, GramMatch>;
  classified: ReadonlyMap<string, number>;
}

/** The matched words of the normalised text, overlapping ones (character pairs) merged, in text order. */
function wordsCovered(normalized: string, matched: readonly Unit[]): string[] {
  const spans = [...matched].sort((a, b) => a.start - b.start || a.end - b.end);
  const words: string[] = [];
  let start = -1;
  let end = -1;
  for (const span of spans) {
    if (span.start < end) {
      end = Math.max(end, span.end);
      continue;
    }
    if (end > start) words.push(normalized.slice(start, end));
    start = span.start;
    end = span.end;
  }
  if (end > start) words.push(normalized.slice(start, end));
  return [...new Set(words)];
}

/**
 * The span of the citizen's own text covering the matched words: offsets are carried back through
 * the rewriting of spoken forms, and through normalising where it kept the length.
 */
function excerptOf(original: string, standard: StandardText, normalized: string, matched: Unit[]): string {
  if (matched.length === 0) return '';
  const start = Math.min(...matched.map((u) => u.start));
  const end = Math.max(...matched.map((u) => u.end));
  if (standard.text.length !== normalized.length) return normalized.slice(start, end);
  return original.slice(standard.origin[start], standard.originEnd[end - 1]);
}
