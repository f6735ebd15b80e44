import { MAX_REQUEST_UNDERSTOOD } from '../../core/limits';
import { BoundedMemo } from '../../lib/memos';
import { expressesNoNeed, leadingPart, normalizeText } from '../../text';
import { standardWordsOf } from '../needs/colloquial';
import { learnedMatches, type AssociationIndex } from '../needs/learned-associations';
import type { AudienceKind, Need, NeedsModel } from '../needs/needs-data';
import { MIN_NEED_CONFIDENCE, type NeedRecogniser, type RecognisedNeed } from '../needs/need-recognition';
import { isAboutABusiness } from '../needs/subjects';
import { districtsNamed } from '../../text/districts';
import {
  commercialServiceAskedFor,
  disclaimersOf,
  onlyTriesTheInput,
  otherCityAskedAbout,
  privateFinanceAskedAbout,
  withoutLoneTermParts,
  withoutMarkup,
} from './request-reading';
import type { MatchOptions, TextMatcher } from './text-matcher';

/**
 * A recognised need at least this confident proposes its services, decides whom the request is
 * about and, when no published service meets it, makes the request unmet (a gap). Chosen with
 * the recogniser's GRAM_SHARE and CLASSIFIER_SHARE by cross-validation on the needs' own phrases (test/eval/needs-cv.ts;
 * docs/matching.md, "Request understanding").
 */
export const NEED_CONFIDENCE = 0.63;
/** Without a confident need, a request whose best score (words alone) is under this is unmet. */
export const LEXICAL_UNMET_THRESHOLD = 0.15;
/**
 * The least score a service is listed with: below it a match shares a character or a stray word
 * with the request (公园草坪能办婚礼吗: 老年人优待证办理 0.08) and tells the citizen nothing. A met
 * request's first service is always above it (the unmet thresholds are higher).
 */
export const LISTED_FLOOR = 0.1;
/**
 * A need recognised under NEED_CONFIDENCE (down to the recogniser's MIN_NEED_CONFIDENCE) is
 * weak evidence: its services score this share of its confidence. It may make a request met
 * together with the words (never alone), and it never makes one a gap nor decides whom it is
 * about. Chosen by cross-validation on the needs' own phrases (docs/matching.md).
 */
export const WEAK_NEED_SHARE = 0.5;
/**
 * The need classifier ranks but does not decide. Whether a request is met, a gap or unmet is
 * decided on each need's own evidence (its trigger words and character pairs:
 * `RecognisedNeed.ownConfidence`), with the thresholds chosen for that evidence before the
 * classifier was added: a need whose own evidence reaches OWN_NEED_CONFIDENCE decides (met, or a
 * gap when no published service meets it); one from OWN_WEAK_NEED_CONFIDENCE is weak evidence that
 * makes a request met only together with the words. The classifier reads a text as the need whose
 * phrases are nearest in words, so a topic no need covers (a postgraduate exam's registration) is
 * read as the need that shares its words (考试, 报名): it may put that need's services first, but
 * not make the request met (docs/matching.md, "The need classifier").
 */
export const OWN_NEED_CONFIDENCE = 0.6;
export const OWN_WEAK_NEED_CONFIDENCE = 0.5;
/** How much the weaker of the two pieces of evidence for a service (need, words) adds to the stronger. */
const AGREEMENT_SHARE = 0.5;
/**
 * A disclaimer refuses the services it alone is answered by: its best and those within this share
 * of the best's score (不是要办新的社保卡: the new card and the electronic card, tied).
 */
const DISCLAIMED_TIE = 0.95;
/** How much a district the request names raises the services of that district (as a category hint does words). */
const NAMED_DISTRICT_BOOST = 1.15;
/**
 * How much a need's services differ by how well the phrase that recognised the need matches each
 * (`phraseAffinity`): the one it matches best keeps the need's confidence, one it does not match
 * at all this share less.
 */
const PHRASE_AFFINITY_SHARE = 0.1;
/**
 * A need recognised by one character is read only when fewer needs' phrases than this have the
 * character (淹: 2 of 300 needs; 班: 37, 证: 75).
 */
const AMBIGUOUS_CHARACTER_NEEDS = 10;
/** Lexical candidates read per request. */
const LEXICAL_CANDIDATES = 20;
/**
 * Characters of the texts whose top need an understander remembers (it lives as long as its
 * catalogue snapshot): about 4 MB of strings at most, whatever length citizens write.
 */
const TOP_NEED_CHARACTERS = 2_000_000;

/** How a service was reached: through a recognised need, the request's words, or both. */
export interface UnderstoodMatch {
  serviceId: string;
  score: number;
  /** The need's part of the score (0 when no need proposed the service). */
  needScore: number;
  /** The words' part of the score. */
  lexicalScore: number;
  /** The part of the score learned from the city's own requests (0 when nothing was learned for it). */
  learnedScore: number;
  need: RecognisedNeed | null;
  matchedTerms: string[];
}

export interface Understanding {
  /** Needs recognised with confidence, best first. */
  needs: RecognisedNeed[];
  matches: UnderstoodMatch[];
  unmet: boolean;
  /** When unmet because the request is about a need no published service meets: that need. */
  gap: Need | null;
  /** When unmet because the request asks about another city's own service: that city (深圳, Shanghai). */
  elsewhere: string | null;
  /** When unmet because the request asks a seller for a good or a repair: what it asks for (手机, 健身房). */
  commercial: string | null;
}

export interface UnderstandOptions extends MatchOptions {
  limit?: number;
  /** Word and phrase → service associations learned from the city's own requests (learned-associations.ts). */
  learned?: AssociationIndex;
}

/**
 * Free text → the needs it expresses → the services that meet them, blended with the lexical
 * matcher for requests that name a service. Pure and in memory: built once per catalogue
 * snapshot from its matcher and a recogniser built from the same services.
 *
 * A service's score is the stronger of its two pieces of evidence (a recognised need that it
 * meets, at the need's confidence; the lexical score of the request's words) plus
 * AGREEMENT_SHARE of the weaker, over 1 + AGREEMENT_SHARE; each part is a real share of the score. Whom a
 * request is about is that of its most confident need (and an animal the recogniser found
 * named): a service for another kind of subject (a person's for a pet, a resident's for a
 * business or a vehicle) never answers it.
 */
/** The constants of the blend and the unmet rule (the defaults are the calibrated ones). */
export interface UnderstandingSettings {
  needConfidence: number;
  weakNeedShare: number;
  lexicalUnmetThreshold: number;
  agreementShare: number;
  /** Decide met, gap or unmet on the needs' own evidence (false: on their confidence, classifier included). */
  decideOnOwnEvidence: boolean;
  ownNeedConfidence: number;
  ownWeakNeedConfidence: number;
}
export const UNDERSTANDING_SETTINGS: UnderstandingSettings = {
  needConfidence: NEED_CONFIDENCE,
  weakNeedShare: WEAK_NEED_SHARE,
  lexicalUnmetThreshold: LEXICAL_UNMET_THRESHOLD,
  agreementShare: AGREEMENT_SHARE,
  decideOnOwnEvidence: true,
  ownNeedConfidence: OWN_NEED_CONFIDENCE,
  ownWeakNeedConfidence: OWN_WEAK_NEED_CONFIDENCE,
};

export class RequestUnderstander {
  constructor(
    private readonly matcher: TextMatcher,
    private readonly recogniser: NeedRecogniser,
    private readonly model: NeedsModel,
    /** Catalogue code of each published service, by id. */
    private readonly codeOf: ReadonlyMap<string, string>,
    private readonly settings: UnderstandingSettings = UNDERSTANDING_SETTINGS,
  ) {
    this.idOf = new Map([...codeOf].map(([id, code]) => [code, id]));
    this.published = new Set(codeOf.values());
    const needsWithCharacter = new Map<string, number>();
    for (const need of model.needs) {
      for (const character of new Set(need.triggers.flatMap((phrase) => [...normalizeText(phrase)]))) {
        needsWithCharacter.set(character, (needsWithCharacter.get(character) ?? 0) + 1);
      }
    }
    this.needsWithCharacter = needsWithCharacter;
  }

  private readonly idOf: Map<string, string>;
  private readonly published: ReadonlySet<string>;
  /** How many needs' trigger phrases contain each character. */
  private readonly needsWithCharacter: ReadonlyMap<string, number>;

  /**
   * Whether the part of a text a need was recognised by is a generic word or a character that the
   * phrases of many needs share (班: 托班, 运动班, 上班): it says nothing of which need it is. A
   * character few needs' phrases have (淹 of 房子被洪水淹了) says.
   */
  private isThinExcerpt(excerpt: string): boolean {
    const word = normalizeText(excerpt);
    if (GENERIC_WORDS.has(word)) return true;
    return [...word].length === 1 && (this.needsWithCharacter.get(word) ?? 0) >= AMBIGUOUS_CHARACTER_NEEDS;
  }

  /** The kinds of subject a service is for (PERSON, ANIMAL …); empty when no need lists it. */
  serviceKinds(serviceId: string): Set<AudienceKind> {
    const code = this.codeOf.get(serviceId);
    const kinds = new Set<AudienceKind>();
    if (!code) return kinds;
    for (const audience of this.model.serviceAudiences(code)) kinds.add(this.model.audiences.get(audience)!.kind);
    return kinds;
  }

  /** Top needs of texts read before: unmet demand reads the same wordings at every call. */
  private readonly topNeeds = new BoundedMemo(Infinity, TOP_NEED_CHARACTERS);

  /**
   * The need a text expresses most surely (clusters of unmet requests read it), or null;
   * remembered per text. Reads the text's first MAX_REQUEST_UNDERSTOOD characters.
   */
  topNeed(whole: string): Need | null {
    const text = meaningfulPart(leadingPart(whole, MAX_REQUEST_UNDERSTOOD));
    if (text === null) return null;
    return this.topNeeds.get(
      text,
      () =>
        this.recogniser.recognise(standardWordsOf(disclaimersOf(this.matcher.spellOut(text)).wanted), {
          limit: 1,
          minConfidence: MIN_NEED_CONFIDENCE,
        }).needs[0]?.need ?? null,
    );
  }

  /**
   * What the citizen says they do not want is not read as what they want: "不是要办新的社保卡，
   * 是原来那张丢了" is read without its disclaimer. When what is left says too little to be met
   * alone (是原来那张丢了), the whole text is read, without the services that the disclaimer
   * alone would be answered by (the new card: DISCLAIMED_TIE).
   *
   * Reads the text's first MAX_REQUEST_UNDERSTOOD characters: a longer text is understood as
   * that part of it, so what it costs is bounded (the sound-alike typo search looks at every
   * character), whatever the input limit.
   */
  understand(typed: string, options: UnderstandOptions = {}): Understanding {
    // Markup, injected statements and English words cut from their terms carry no meaning; a
    // request of nothing else, or one that only tries the input (测试一下), is understood as nothing.
    const meaningful = meaningfulPart(leadingPart(typed, MAX_REQUEST_UNDERSTOOD));
    if (meaningful === null) return nothingUnderstood();
    // Words typed in pinyin (sbk丢了, gongjijin余额) are read as the words they spell.
    const text = this.matcher.spellOut(meaningful);
    const { wanted, disclaimed } = disclaimersOf(text);
    if (disclaimed.length === 0) return this.read(text, options);
    const reading = this.read(wanted, options);
    if (!reading.unmet || reading.gap !== null || reading.elsewhere !== null || reading.commercial !== null) {
      return reading;
    }
    const refused = new Set(
      disclaimed.flatMap((clause) => {
        const { matches } = this.read(clause, options);
        return matches.filter((m) => m.score >= DISCLAIMED_TIE * matches[0].score).map((m) => m.serviceId);
      }),
    );
    const limit = options.limit ?? 5;
    const whole = this.read(text, { ...options, limit: limit + refused.size });
    const matches = whole.matches.filter((m) => !refused.has(m.serviceId)).slice(0, limit);
    return { ...whole, matches, unmet: whole.unmet || matches.length === 0 };
  }

  private read(text: string, options: UnderstandOptions): Understanding {
    const limit = options.limit ?? 5;
    const standard = standardWordsOf(text);
    const { needConfidence, weakNeedShare } = this.settings;
    // The recogniser reads standard words itself and quotes the citizen's own (老婆, not 妻子).
    const recognition = this.recogniser.recognise(text, {
      minConfidence: Math.min(needConfidence, MIN_NEED_CONFIDENCE, this.settings.ownWeakNeedConfidence),
      limit: 5,
    });
    // A need no service meets, named only in a clause that tells what happened (车祸后腿截肢了),
    // does not make a gap of a request that asks for a need a service meets (想办个证享受残疾人待遇).
    const contextual = this.gapsOnlyInContext(standard, recognition.needs);
    // A need recognised by one character or a generic word of the text (班 of 钢琴班 read as 假期运动班)
    // is not what the request asks for: it neither proposes nor decides.
    const recognised = recognition.needs.filter((n) => !contextual.has(n) && !this.isThinExcerpt(n.excerpt));
    // The needs at their confidence (the classifier's part included) rank the candidates;
    // `decide` reads their own evidence for met, gap or unmet.
    const needs = recognised.filter((n) => n.confidence >= needConfidence);
    const proposing = recognised.filter((n) => n.confidence >= MIN_NEED_CONFIDENCE);
    // Weak needs count only when the strongest of all is met by some service: a request read
    // foremost as a gap, however unsurely, is not made met by a weaker reading.
    const strongest = proposing[0];
    const readAsGap = strongest && this.isGap(strongest);
    const weakNeeds = weakNeedShare > 0 && !readAsGap ? proposing.filter((n) => n.confidence < needConfidence) : [];
    const top = needs[0];
    const allowed = this.subjectFilter(standard, recognition.subjects, top);

    const byService = new Map<string, UnderstoodMatch>();
    const entry = (serviceId: string) => {
      let match = byService.get(serviceId);
      if (!match) {
        match = { serviceId, score: 0, needScore: 0, lexicalScore: 0, learnedScore: 0, need: null, matchedTerms: [] };
        byService.set(serviceId, match);
      }
      return match;
    };
    const openTo = this.openToDistrict(options.districtCode);
    const propose = (recognised: RecognisedNeed, confidence: number) => {
      const affinity = this.phraseAffinity(recognised);
      for (const code of this.model.publishedServices(recognised.need, this.published)) {
        const serviceId = this.idOf.get(code)!;
        if (!openTo(serviceId)) continue;
        const match = entry(serviceId);
        const score = confidence * (1 - PHRASE_AFFINITY_SHARE * (1 - (affinity.get(serviceId) ?? 1)));
        if (score > match.needScore) {
          match.needScore = score;
          match.need = recognised;
        }
      }
    };
    for (const recognised of needs) propose(recognised, recognised.confidence);
    for (const recognised of weakNeeds) propose(recognised, recognised.confidence * weakNeedShare);
    const { learned, ...matchOptions } = options;
    for (const m of this.matcher.match(standard, { ...matchOptions, limit: LEXICAL_CANDIDATES })) {
      const match = entry(m.serviceId);
      match.lexicalScore = m.score;
      match.matchedTerms = m.matchedTerms;
    }
    if (learned) {
      for (const m of learnedMatches(text, learned, LEXICAL_CANDIDATES)) {
        if (byService.has(m.serviceId) || (this.codeOf.has(m.serviceId) && openTo(m.serviceId))) {
          entry(m.serviceId).learnedScore = m.score;
        }
      }
    }

    // A district the citizen names (住在观山湖, in Kaiyang) raises the services of that district.
    const named = options.districtCode ? [] : districtsNamed(text);
    const ofNamedDistrict = (serviceId: string) =>
      named.length > 0 && this.matcher.districtsOf(serviceId).some((code) => named.includes(code));
    // A service reached only by single characters or generic words of the text (证 of 老年证, 人, 对象
    // of 优抚对象) is not listed: no need, nothing learned, no word that says what the request is about.
    const listed = [...byService.values()].filter((match) => allowed(match.serviceId) && !byThinLink(match));
    const matches = listed
      .map((match) => blended(match, this.settings.agreementShare))
      .map((match) => (ofNamedDistrict(match.serviceId) ? raised(match, NAMED_DISTRICT_BOOST) : match));
    matches.sort((a, b) => b.score - a.score || a.serviceId.localeCompare(b.serviceId));

    // Decided on the services listed, as they are shown: a service left out of the list (reached by
    // single characters when something better is) does not make the request met ("1=1" and a
    // weak need's service).
    const { gap, unmet: unmetByNeeds } = this.decide(recognised, listed, allowed);
    // Another city's own service (深圳地铁老人卡) is met by none of this city's, however alike.
    const elsewhere = gap === null ? otherCityAskedAbout(text) : null;
    // Nor is a shop's or a company's (手机屏幕碎了哪里修): the city sells and repairs nothing.
    // Nor is a bank's or a broker's: buying stocks, funds, crypto or currencies.
    const commercial = gap === null ? (commercialServiceAskedFor(text) ?? privateFinanceAskedAbout(text)) : null;
    const unmet = gap !== null || elsewhere !== null || commercial !== null || matches.length === 0 || unmetByNeeds;
    const shown = unmet && gap ? [] : matches.filter((m) => m.score >= LISTED_FLOOR).slice(0, limit);
    return { needs, matches: shown, unmet, gap, elsewhere, commercial };
  }

  /**
   * The needs no published service meets that a request names only as what happened (a clause
   * with no asking word: 我老公车祸后腿截肢了), when another clause asks (想, 怎么, 申请, 吗 …) for
   * a need a service meets, on that need's own evidence from the weak floor (想办个证享受残疾人
   * 待遇). Empty when the gap is asked about itself or no met need is asked for.
   */
  private gapsOnlyInContext(text: string, recognised: readonly RecognisedNeed[]): Set<RecognisedNeed> {
    const contextual = new Set<RecognisedNeed>();
    const clauses = text.match(CLAUSE) ?? [];
    if (clauses.length < 2) return contextual;
    const asking = clauses.filter((clause) => ASKING.test(clause));
    const context = clauses.filter((clause) => !ASKING.test(clause));
    if (asking.length === 0 || context.length === 0) return contextual;
    const within = (n: RecognisedNeed, among: string[]) => n.excerpt !== '' && among.some((c) => c.includes(n.excerpt));
    const weakFloor = this.weakFloor();
    const asked = recognised.some(
      (n) => !this.isGap(n) && n.ownConfidence >= weakFloor && within(n, asking) && !within(n, context),
    );
    if (!asked) return contextual;
    for (const n of recognised) if (this.isGap(n) && within(n, context) && !within(n, asking)) contextual.add(n);
    return contextual;
  }

  /**
   * Whether a request is a gap or, without a deciding need, unmet: on each need's own evidence
   * (the classifier left out), or on its confidence when decideOnOwnEvidence is off. The deciding
   * need (the surest at the deciding confidence) makes the request met, or a gap when no published
   * service meets it. Without one, a service the words or the city's requests point to is met
   * enough at the threshold; a weak need adds to their score but cannot make one met alone.
   */
  private decide(
    recognised: readonly RecognisedNeed[],
    candidates: Iterable<UnderstoodMatch>,
    allowed: (serviceId: string) => boolean,
  ): { gap: Need | null; unmet: boolean } {
    const { decideOnOwnEvidence, needConfidence, weakNeedShare } = this.settings;
    const decidingConfidence = decideOnOwnEvidence ? this.settings.ownNeedConfidence : needConfidence;
    const weakFloor = this.weakFloor();
    const evidence = (n: RecognisedNeed) => (decideOnOwnEvidence ? n.ownConfidence : n.confidence);
    const byEvidence = recognised
      .filter((n) => evidence(n) >= weakFloor)
      // Equally sure needs: the surer with the classifier's part, then a met need before a gap (公积金怎么取
      // reads five withdrawals alike; one of them, a deceased member's, has no service).
      .sort(
        (a, b) =>
          evidence(b) - evidence(a) ||
          b.confidence - a.confidence ||
          Number(this.isGap(a)) - Number(this.isGap(b)) ||
          a.need.code.localeCompare(b.need.code),
      );
    const deciding = byEvidence.find((n) => evidence(n) >= decidingConfidence);
    if (deciding) return { gap: this.isGap(deciding) ? deciding.need : null, unmet: false };
    // Weak needs count only when the strongest is met by some service, as in the ranking.
    const weakScore = new Map<string, number>();
    if (weakNeedShare > 0 && byEvidence[0] && !this.isGap(byEvidence[0])) {
      for (const n of byEvidence) {
        for (const code of this.model.publishedServices(n.need, this.published)) {
          const serviceId = this.idOf.get(code)!;
          weakScore.set(serviceId, Math.max(weakScore.get(serviceId) ?? 0, evidence(n) * weakNeedShare));
        }
      }
    }
    let bestSupported = 0;
    for (const match of candidates) {
      if (!(match.lexicalScore > 0 || match.learnedScore > 0) || !allowed(match.serviceId)) continue;
      const judged = { ...match, needScore: weakScore.get(match.serviceId) ?? 0 };
      // One character or a generic word shared with a service (对象 of 优抚对象) does not meet a request alone.
      if (byThinLink(judged)) continue;
      bestSupported = Math.max(bestSupported, blended(judged, this.settings.agreementShare).score);
    }
    return { gap: null, unmet: bestSupported < this.settings.lexicalUnmetThreshold };
  }

  /**
   * Whom the request is about, as a test of a service: that of its most confident need, an
   * animal the recogniser found named, or a business the request is about (never a person's
   * own affairs). A service for another kind of subject never answers it.
   */
  private subjectFilter(text: string, named: readonly AudienceKind[], top: RecognisedNeed | undefined) {
    const subjects = new Set<AudienceKind>(named);
    if (top) for (const kind of this.model.audienceKinds(top.need)) subjects.add(kind);
    const business = !subjects.has('ANIMAL') && isAboutABusiness(text, top?.need ?? null, this.model);
    return (serviceId: string) => {
      const code = this.codeOf.get(serviceId);
      if (business && !(code && this.model.serviceAudiences(code).has('business'))) return false;
      if (subjects.size === 0) return true;
      const kinds = this.serviceKinds(serviceId);
      if (kinds.size === 0) return !subjects.has('ANIMAL');
      return [...kinds].some((kind) => subjects.has(kind));
    };
  }

  /**
   * Which of a need's services the phrase that recognised it speaks of: each service's lexical
   * score for the phrase over the best's (0–1), for a need met by two or more services ("老婆怀孕
   * 产检的钱能报" is the medical costs' reimbursement of maternity benefits, not the allowance).
   * Empty (all alike) when the need has one service or the phrase matches none of them.
   */
  private phraseAffinity(recognised: RecognisedNeed): Map<string, number> {
    const ids = this.model
      .publishedServices(recognised.need, this.published)
      .map((code) => this.idOf.get(code)!)
      .filter(Boolean);
    const affinity = new Map<string, number>();
    if (ids.length < 2) return affinity;
    const own = new Set(ids);
    const scores = this.matcher.match(standardWordsOf(recognised.phrase)).filter((m) => own.has(m.serviceId));
    const best = scores[0]?.score ?? 0;
    if (best <= 0) return affinity;
    for (const id of ids) affinity.set(id, 0);
    for (const m of scores) affinity.set(m.serviceId, m.score / best);
    return affinity;
  }

  /** Whether no published service meets the need (a gap). */
  private isGap(n: RecognisedNeed): boolean {
    return this.model.publishedServices(n.need, this.published).length === 0;
  }

  /** The least evidence a weak need counts with: its own confidence, or its confidence (decideOnOwnEvidence off). */
  private weakFloor(): number {
    return this.settings.decideOnOwnEvidence ? this.settings.ownWeakNeedConfidence : MIN_NEED_CONFIDENCE;
  }

  private openToDistrict(districtCode: string | null | undefined): (serviceId: string) => boolean {
    if (!districtCode) return () => true;
    return (serviceId) => this.matcher.isOpenTo(serviceId, districtCode);
  }
}

/** A clause of a request, with the punctuation that ends it. */
const CLAUSE = /[^，,。；;！!？?\n]+[，,。；;！!？?\n]*/gu;
/** Words that make a clause ask for something (想, 要, 怎么, 申请, 吗, a question mark). */
const ASKING =
  /想|要|怎么|怎樣|怎样|如何|能不能|能否|可以|可不可以|哪里|哪裡|哪儿|在哪|去哪|申请|申請|办|辦|吗|嗎|呢|请问|請問|求助|帮忙|幫忙|[?？]/u;

/** The understanding of a request that says nothing: no need, no match, unmet. */
const nothingUnderstood = (): Understanding => ({
  needs: [],
  matches: [],
  unmet: true,
  gap: null,
  elsewhere: null,
  commercial: null,
});

/**
 * The part of a request that carries a citizen's meaning: without markup and injected
 * statements (withoutMarkup) and without English words that only a missing term gives a meaning
 * to (withoutLoneTermParts); null when nothing is left, the request only tries the input, or its
 * words express no need (a plea, a greeting, thanks: "help me", 帮帮我, 在吗 — the rule by which
 * planners' unmet demand leaves such requests out, src/text/non-requests.ts).
 */
export function meaningfulPart(text: string): string | null {
  const unmarked = withoutMarkup(text);
  const left = withoutLoneTermParts(unmarked);
  // Digits left of an injected statement (' OR 1=1) say nothing; digits typed alone are read (12345).
  const meaning = unmarked === text ? /[\p{L}\p{N}]/u : /\p{L}/u;
  if (!meaning.test(left) || onlyTriesTheInput(left)) return null;
  if (/\p{L}/u.test(left) && expressesNoNeed(left)) return null;
  return left;
}

/** What a REQUEST or SEARCH signal stores of its text's understanding. */
export interface SignalVerdict {
  matchedServiceId: string | null;
  matchScore: number | null;
  unmet: boolean;
  /** The most confident need (for a gap, the need no service meets). */
  needCode: string | null;
}

export function signalVerdict(understanding: Understanding): SignalVerdict {
  const best = understanding.matches[0];
  return {
    matchedServiceId: best?.serviceId ?? null,
    matchScore: best?.score ?? null,
    unmet: understanding.unmet,
    needCode: understanding.gap?.code ?? understanding.needs[0]?.need.code ?? null,
  };
}

/**
 * Words that are a generic part of many services' titles and descriptions rather than a need of
 * their own: 优抚对象 and 救助对象 share 对象 with 找对象, 服务中心 is in every centre's address;
 * 孩子 and 儿童 say whom a request is for, not what it asks. (办理, 申请 and other words that only
 * widen a search never reach the matcher: stopwords.ts.)
 */
const GENERIC_WORDS: ReadonlySet<string> = new Set([
  '孩子',
  '儿童',
  '对象',
  '服务',
  '中心',
  '服务中心',
  '证明',
  '人员',
  '信息',
  '机构',
  '管理',
  '业务',
  '手续',
  '材料',
  '窗口',
  '平台',
  '项目',
  '部门',
  '相关',
]);

/**
 * Whether words of the text link it to a service (or a need) by nothing but single characters
 * (证, 人, 班) and generic words (对象, 服务): no such link says what the request is about.
 */
export function isThinLink(terms: readonly string[]): boolean {
  return terms.length > 0 && terms.every((term) => [...term].length === 1 || GENERIC_WORDS.has(term));
}

/** Whether a service was reached by nothing but a thin link (isThinLink): no need, nothing learned. */
function byThinLink(match: UnderstoodMatch): boolean {
  return match.needScore === 0 && match.learnedScore === 0 && isThinLink(match.matchedTerms);
}

/**
 * A service's score from its pieces of evidence (need, words, learned): the strongest, plus
 * `agreement` of the second and `agreement`² of the third, over 1 + `agreement` and at most 1;
 * each part is its real share of the score, so reasons weigh what they contributed.
 */
function blended(match: UnderstoodMatch, agreement: number): UnderstoodMatch {
  const parts = [match.needScore, match.lexicalScore, match.learnedScore];
  const order = [0, 1, 2].sort((a, b) => parts[b] - parts[a] || a - b);
  const weighted = [0, 0, 0];
  order.forEach((part, rank) => (weighted[part] = parts[part] * agreement ** rank));
  const sum = weighted[0] + weighted[1] + weighted[2];
  // Normalised, not capped at each part: two services both at the cap would tie however clearly the words name one.
  const score = Math.min(1, sum / (1 + agreement));
  const scale = score / (sum || 1);
  return {
    ...match,
    score,
    needScore: weighted[0] * scale,
    lexicalScore: weighted[1] * scale,
    learnedScore: weighted[2] * scale,
  };
}

/** A match's score times `factor` (at most 1), its parts scaled alike so that they still add up to it. */
function raised(match: UnderstoodMatch, factor: number): UnderstoodMatch {
  const score = Math.min(1, match.score * factor);
  const scale = score / (match.score || 1);
  return {
    ...match,
    score,
    needScore: match.needScore * scale,
    lexicalScore: match.lexicalScore * scale,
    learnedScore: match.learnedScore * scale,
  };
}
