import type { AudienceKind, Need, NeedsModel } from '../needs/needs-data';
import type { NeedRecogniser, RecognisedNeed } from '../needs/need-recognition';
import type { MatchOptions, TextMatcher } from './text-matcher';

/**
 * A recognised need at least this confident proposes its services, decides whom the request is
 * about and, when no published service meets it, makes the request unmet (a gap). Chosen on the
 * tuning split of test/eval (docs/matching.md, "Request understanding").
 */
export const NEED_CONFIDENCE = 0.5;
/** Without a confident need, a request whose best score (words alone) is under this is unmet. */
export const LEXICAL_UNMET_THRESHOLD = 0.15;
/** How much the weaker of the two pieces of evidence for a service (need, words) adds to the stronger. */
const AGREEMENT_SHARE = 0.5;
/** Lexical candidates read per request. */
const LEXICAL_CANDIDATES = 20;

/** How a service was reached: through a recognised need, the request's words, or both. */
export interface UnderstoodMatch {
  serviceId: string;
  score: number;
  /** The need's part of the score (0 when no need proposed the service). */
  needScore: number;
  /** The words' part of the score. */
  lexicalScore: number;
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
}

export interface UnderstandOptions extends MatchOptions {
  limit?: number;
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
  lexicalUnmetThreshold: number;
  agreementShare: number;
}
export const UNDERSTANDING_SETTINGS: UnderstandingSettings = {
  needConfidence: NEED_CONFIDENCE,
  lexicalUnmetThreshold: LEXICAL_UNMET_THRESHOLD,
  agreementShare: AGREEMENT_SHARE,
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
  }

  private readonly idOf: Map<string, string>;
  private readonly published: ReadonlySet<string>;

  /** The kinds of subject a service is for (PERSON, ANIMAL …); empty when no need lists it. */
  serviceKinds(serviceId: string): Set<AudienceKind> {
    const code = this.codeOf.get(serviceId);
    const kinds = new Set<AudienceKind>();
    if (!code) return kinds;
    for (const audience of this.model.serviceAudiences(code)) kinds.add(this.model.audiences.get(audience)!.kind);
    return kinds;
  }

  understand(text: string, options: UnderstandOptions = {}): Understanding {
    const limit = options.limit ?? 5;
    const recognition = this.recogniser.recognise(text, { minConfidence: this.settings.needConfidence, limit: 5 });
    const needs = recognition.needs;
    const top = needs[0];
    const subjects = new Set<AudienceKind>(recognition.subjects);
    if (top) for (const kind of this.model.audienceKinds(top.need)) subjects.add(kind);
    const allowed = (serviceId: string) => {
      if (subjects.size === 0) return true;
      const kinds = this.serviceKinds(serviceId);
      if (kinds.size === 0) return !subjects.has('ANIMAL');
      return [...kinds].some((kind) => subjects.has(kind));
    };

    const byService = new Map<string, UnderstoodMatch>();
    const entry = (serviceId: string) => {
      let match = byService.get(serviceId);
      if (!match) {
        match = { serviceId, score: 0, needScore: 0, lexicalScore: 0, need: null, matchedTerms: [] };
        byService.set(serviceId, match);
      }
      return match;
    };
    const openTo = this.openToDistrict(options.districtCode);
    for (const recognised of needs) {
      for (const code of this.model.publishedServices(recognised.need, this.published)) {
        const serviceId = this.idOf.get(code)!;
        if (!openTo(serviceId)) continue;
        const match = entry(serviceId);
        if (recognised.confidence > match.needScore) {
          match.needScore = recognised.confidence;
          match.need = recognised;
        }
      }
    }
    const lexical = this.matcher.match(text, { ...options, limit: LEXICAL_CANDIDATES });
    for (const m of lexical) {
      const match = entry(m.serviceId);
      match.lexicalScore = m.score;
      match.matchedTerms = m.matchedTerms;
    }

    const matches: UnderstoodMatch[] = [];
    for (const match of byService.values()) {
      if (!allowed(match.serviceId)) continue;
      const strong = Math.max(match.needScore, match.lexicalScore);
      const weak = Math.min(match.needScore, match.lexicalScore);
      const agreement = this.settings.agreementShare;
      // Normalised, not capped: two services both at the cap would tie however clearly the words name one.
      const score = (strong + agreement * weak) / (1 + agreement);
      // Each part's share of the score, so that reasons weigh what they really contributed.
      const needPart = match.needScore >= match.lexicalScore ? match.needScore : agreement * match.needScore;
      const lexicalPart = match.needScore >= match.lexicalScore ? agreement * match.lexicalScore : match.lexicalScore;
      const scale = score / (needPart + lexicalPart || 1);
      matches.push({ ...match, score, needScore: needPart * scale, lexicalScore: lexicalPart * scale });
    }
    matches.sort((a, b) => b.score - a.score || a.serviceId.localeCompare(b.serviceId));

    const gap = top && this.model.publishedServices(top.need, this.published).length === 0 ? top.need : null;
    const bestLexical = matches.reduce((best, m) => Math.max(best, m.need ? 0 : m.score), 0);
    const unmet = gap !== null || matches.length === 0 || (!top && bestLexical < this.settings.lexicalUnmetThreshold);
    return { needs, matches: unmet && gap ? [] : matches.slice(0, limit), unmet, gap };
  }

  private openToDistrict(districtCode: string | null | undefined): (serviceId: string) => boolean {
    if (!districtCode) return () => true;
    return (serviceId) => this.matcher.isOpenTo(serviceId, districtCode);
  }
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
