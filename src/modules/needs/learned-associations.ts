import { normalizeText } from '../../text/normalize';
import { withoutPersonalData } from '../../text/redact';
import { UnitReader } from './need-recognition';

/** The reason a learned match gives a citizen. */
export const LEARNED_REASON = '很多市民用此服务解决类似需求';

/**
 * A request followed, within the same visit, by a view or use of a service: evidence that the
 * service meets the request's words.
 */
export interface VisitEvidence {
  citizenId: string;
  text: string;
  serviceId: string;
}

export interface LearningOptions {
  /** Distinct citizens an association needs before it is kept at all. */
  minCitizens: number;
  /** Strength of the prior, in pseudo-citizens who asked with the term and went to services at their base rates. */
  priorCitizens: number;
  /** Services one citizen may vouch for per term; the rest of their browsing after it is not evidence. */
  maxServicesPerCitizenTerm: number;
  /** Terms read from one request at most (words and two-word phrases, in order). */
  maxTermsPerText: number;
}

export const DEFAULT_LEARNING: LearningOptions = {
  minCitizens: 3,
  priorCitizens: 20,
  maxServicesPerCitizenTerm: 3,
  maxTermsPerText: 24,
};

/** Below this strength a learned association proposes nothing (5 citizens alone on a phrase stay under it). */
export const MIN_LEARNED_SCORE = 0.25;

export interface LearnedAssociation {
  term: string;
  serviceId: string;
  /** Distinct citizens behind it. */
  citizens: number;
  /** 0–1: how much more often than its base rate the service follows the term, shrunk towards 0. */
  strength: number;
}

let reader: UnitReader | undefined;
const unitReader = () => (reader ??= new UnitReader());

/**
 * The terms of a request: its words and synonyms' canonical terms (stop words dropped, whole
 * words only) and each pair of adjacent ones as a phrase. Personal data (handles, phone and ID
 * numbers) is taken out first, so it never becomes a term.
 */
export function termsOf(text: string, max = DEFAULT_LEARNING.maxTermsPerText): string[] {
  const units = unitReader()
    .unitsOf(normalizeText(withoutPersonalData(text)))
    .map((u) => u.unit);
  const terms = new Set<string>();
  for (let i = 0; i < units.length && terms.size < max; i++) {
    terms.add(units[i]);
    if (i + 1 < units.length && units[i + 1] !== units[i] && terms.size < max) terms.add(`${units[i]} ${units[i + 1]}`);
  }
  return [...terms];
}

/**
 * Learns term → service associations from visit evidence.
 *
 * Every count is of distinct citizens: a citizen who repeats a request and views a service a
 * hundred times counts once for each term–service pair, and vouches for at most
 * `maxServicesPerCitizenTerm` services per term (the first they went to). With n_t the citizens
 * whose requests hold term t, n_ts those of them who then went to service s, and b_s the share
 * of all citizens with evidence who went to s, the smoothed share is
 * p = (n_ts + α·b_s) / (n_t + α) and the strength its lift over the base rate, (p − b_s) / (1 − b_s),
 * floored at 0. An association is kept with at least `minCitizens` citizens and a positive strength.
 */
export function learnAssociations(
  evidence: Iterable<VisitEvidence>,
  options: LearningOptions = DEFAULT_LEARNING,
): LearnedAssociation[] {
  // citizen → term → services vouched for (in order of evidence, capped).
  const byCitizen = new Map<string, Map<string, string[]>>();
  const servicesOfCitizen = new Map<string, Set<string>>();
  const termsOfText = new Map<string, string[]>();
  for (const e of evidence) {
    let terms = termsOfText.get(e.text);
    if (!terms) termsOfText.set(e.text, (terms = termsOf(e.text, options.maxTermsPerText)));
    const citizenTerms = byCitizen.get(e.citizenId) ?? new Map<string, string[]>();
    byCitizen.set(e.citizenId, citizenTerms);
    const services = servicesOfCitizen.get(e.citizenId) ?? new Set<string>();
    servicesOfCitizen.set(e.citizenId, services);
    services.add(e.serviceId);
    for (const term of terms) {
      const vouched = citizenTerms.get(term) ?? [];
      citizenTerms.set(term, vouched);
      const room = vouched.length < options.maxServicesPerCitizenTerm;
      if (room && !vouched.includes(e.serviceId)) vouched.push(e.serviceId);
    }
  }
  const citizenCount = byCitizen.size;
  if (citizenCount === 0) return [];
  const citizensOfService = new Map<string, number>();
  for (const services of servicesOfCitizen.values()) {
    for (const s of services) citizensOfService.set(s, (citizensOfService.get(s) ?? 0) + 1);
  }
  const citizensOfTerm = new Map<string, number>();
  const citizensOfPair = new Map<string, Map<string, number>>();
  for (const terms of byCitizen.values()) {
    for (const [term, services] of terms) {
      citizensOfTerm.set(term, (citizensOfTerm.get(term) ?? 0) + 1);
      const pairs = citizensOfPair.get(term) ?? new Map<string, number>();
      citizensOfPair.set(term, pairs);
      for (const s of services) pairs.set(s, (pairs.get(s) ?? 0) + 1);
    }
  }
  const alpha = options.priorCitizens;
  const learned: LearnedAssociation[] = [];
  for (const [term, pairs] of citizensOfPair) {
    const nt = citizensOfTerm.get(term)!;
    for (const [serviceId, nts] of pairs) {
      if (nts < options.minCitizens) continue;
      const base = citizensOfService.get(serviceId)! / citizenCount;
      if (base >= 1) continue;
      const share = (nts + alpha * base) / (nt + alpha);
      const strength = (share - base) / (1 - base);
      if (strength <= 0) continue;
      learned.push({ term, serviceId, citizens: nts, strength: Math.round(strength * 10_000) / 10_000 });
    }
  }
  return learned.sort(
    (a, b) => a.term.localeCompare(b.term) || b.strength - a.strength || a.serviceId.localeCompare(b.serviceId),
  );
}

/** Learned associations indexed by term, for the scorer. */
export type AssociationIndex = ReadonlyMap<string, readonly { serviceId: string; strength: number }[]>;

export function indexAssociations(
  associations: Iterable<Pick<LearnedAssociation, 'term' | 'serviceId' | 'strength'>>,
): AssociationIndex {
  const index = new Map<string, { serviceId: string; strength: number }[]>();
  for (const a of associations) {
    const list = index.get(a.term) ?? [];
    list.push({ serviceId: a.serviceId, strength: a.strength });
    index.set(a.term, list);
  }
  return index;
}

/**
 * Each service's learned score for a text: the strongest association of any of the text's terms
 * with it. The strongest, not a sum: a request of many words gains nothing from each word a few
 * citizens have tied to a service, so no handful of accounts adds its way past MIN_LEARNED_SCORE.
 */
export function learnedServiceScores(text: string, associations: AssociationIndex): Map<string, number> {
  const scores = new Map<string, number>();
  for (const term of termsOf(text)) {
    for (const { serviceId, strength } of associations.get(term) ?? []) {
      if (strength > (scores.get(serviceId) ?? 0)) scores.set(serviceId, strength);
    }
  }
  return scores;
}

export interface LearnedMatch {
  serviceId: string;
  score: number;
  reason: typeof LEARNED_REASON;
}

/** The services the city's own requests learned for a text, strongest first, at MIN_LEARNED_SCORE or more. */
export function learnedMatches(text: string, associations: AssociationIndex, limit = 5): LearnedMatch[] {
  return [...learnedServiceScores(text, associations)]
    .filter(([, score]) => score >= MIN_LEARNED_SCORE)
    .sort(([a, sa], [b, sb]) => sb - sa || a.localeCompare(b))
    .slice(0, limit)
    .map(([serviceId, score]) => ({ serviceId, score, reason: LEARNED_REASON }));
}
