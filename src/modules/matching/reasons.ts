import { AgeBand } from '../citizens/age-band';
import { MatchReasonKind } from './match-reason';
import type { Candidate, CitizenSignals, CohortShare, ScoredCandidate } from './scoring';
import { praisedRatings, praisedVotes, type CityStanding } from './standing';

const AGE_BAND_LABELS: Record<AgeBand, string> = {
  [AgeBand.CHILD]: '未成年',
  [AgeBand.YOUTH]: '18至34岁',
  [AgeBand.ADULT]: '35至59岁',
  [AgeBand.SENIOR]: '60岁以上',
};

export const TAG_LABELS: Record<string, string> = {
  disabled: '残疾人',
  'low-income': '低收入家庭',
  veteran: '退役军人',
  retiree: '退休人员',
  student: '学生',
  unemployed: '失业人员',
  'expectant-parent': '准父母',
  'parent-of-young-child': '婴幼儿家长',
  'migrant-worker': '外来务工人员',
  'rural-resident': '农村居民',
  'car-owner': '车主',
  homeowner: '房主',
};

/** What the sentences of one citizen's reasons read, besides the candidate. */
export interface SentenceContext {
  citizen: Pick<CitizenSignals, 'text' | 'cohort' | 'districtName' | 'ageBand'>;
  /** The history item that led most to a service the history reaches (undefined: not reached). */
  reachedVia: (serviceId: string) => string | undefined;
  /** The title of a service of the history. */
  nameOf: (serviceId: string) => string | undefined;
  city: CityStanding;
  /** The name of the category of recent use that a related category was reached through. */
  relatedThrough: (categoryId: string) => string | undefined;
  /** The first circumstance with the best share of the candidate, as scored (from citizen.cohort when absent). */
  similarCohort?: (candidate: Candidate) => CohortShare;
}

const SINGLE_HAN = /^\p{Script=Han}$/u;

/**
 * The words a text match shows the citizen: at most three, single Chinese characters (不, 上, 交)
 * left out when a longer word matched too; they say nothing to a reader, though they count.
 */
export function shownTerms(terms: readonly string[]): string {
  const words = terms.filter((term) => !SINGLE_HAN.test(term));
  return (words.length > 0 ? words : terms).slice(0, 3).join('、');
}

/** Which of the sentences of a kind: OWN_HISTORY's parts, SEGMENT_DEMAND's segment or age band. */
export type SentencePart = 'item' | 'taste' | 'recent' | 'related' | 'band';

/**
 * The sentence of a component of `candidate`'s score; `part` tells the parts of OWN_HISTORY
 * apart (item-to-item, category taste, recent category taste, categories related to recent
 * use). Each names the input behind it.
 */
export function reasonSentence(
  kind: MatchReasonKind,
  part: SentencePart,
  candidate: Candidate,
  context: SentenceContext,
): string {
  const { citizen } = context;
  switch (kind) {
    case MatchReasonKind.TEXT_MATCH:
      return `匹配您的需求：${shownTerms(citizen.text.get(candidate.id)!.terms)}`;
    case MatchReasonKind.OWN_HISTORY: {
      if (part === 'taste') return `您常办理“${candidate.categoryName}”类服务`;
      if (part === 'recent') return `您近期办理过“${candidate.categoryName}”类服务`;
      if (part === 'related') {
        const via = context.relatedThrough(candidate.categoryId);
        return via ? `常与您近期办理的“${via}”类服务一起办理` : '常与您近期办理的服务一起办理';
      }
      const source = context.reachedVia(candidate.id)!;
      if (source === candidate.id) return '您办理或浏览过此服务';
      const via = context.nameOf(source);
      return via ? `与您办理过的“${via}”相关` : '与您办理过的服务相关';
    }
    case MatchReasonKind.SIMILAR_CITIZENS: {
      const best = context.similarCohort?.(candidate) ?? bestCohortOf(citizen.cohort, candidate);
      return `与您情况相似的居民（${TAG_LABELS[best.tag] ?? best.tag}）常用`;
    }
    case MatchReasonKind.SEGMENT_DEMAND:
      if (part === 'band' && citizen.ageBand) return `全市${AGE_BAND_LABELS[citizen.ageBand]}居民近期常用`;
      return `${citizen.districtName}${citizen.ageBand ? AGE_BAND_LABELS[citizen.ageBand] : ''}居民近期常用`;
    case MatchReasonKind.POPULAR:
      return '全市居民常用';
    case MatchReasonKind.WELL_RATED:
      // Shown only when positive: the larger of the two praises, each earned (see praisedVotes).
      return praisedRatings(candidate, context.city) > praisedVotes(candidate, context.city)
        ? `评价较好（${(candidate.ratingSum / candidate.ratingCount).toFixed(1)}分）`
        : '居民点赞较多';
    case MatchReasonKind.INTEREST:
      return `属于您关注的“${candidate.categoryName}”`;
    default:
      return '新上线服务';
  }
}

/** The first circumstance with the best share of the candidate. */
function bestCohortOf(cohort: readonly CohortShare[], candidate: Candidate): CohortShare {
  let best = cohort[0];
  for (const c of cohort) if ((c.shares.get(candidate.id) ?? 0) > (best.shares.get(candidate.id) ?? 0)) best = c;
  return best;
}

export interface Reason {
  kind: MatchReasonKind;
  /** The component's share of the score, 0 to 1. */
  weight: number;
  message: string;
}

/**
 * The components that make up at least 5% of what raised the score (its positive
 * contributions: the score itself unless poor votes or ratings took something off), largest
 * first, at most three. A part no signal stands behind (ScoredCandidate.unexplained) counts in
 * what raised the score but is no reason.
 */
export function topReasons(scored: ScoredCandidate, limit = 3): Reason[] {
  if (scored.score <= 0) return [];
  const raised = scored.components.reduce((sum, c) => sum + c.contribution, scored.unexplained ?? 0);
  return scored.components
    .map((c) => ({ kind: c.kind, weight: c.contribution / raised, message: c.message }))
    .filter((r) => r.weight >= 0.05)
    .slice(0, limit);
}
