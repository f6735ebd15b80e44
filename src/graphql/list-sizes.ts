import { DemandDimension, Granularity } from '../modules/analytics/analytics.types';
import { demandWindow, periodsOf } from '../modules/analytics/periods';
import { AgeBand } from '../modules/citizens/age-band';
import { MatchReasonKind } from '../modules/matching/match-reason';
import { BASELINES } from '../modules/matching/ranking-baselines';
import { FITTED_PARAMETERS } from '../modules/matching/ranking-model';
import { LISTED_MODELS } from '../modules/matching/ranking-models';
import { REQUEST_MATCHES } from '../modules/matching/request-matching.service';
import { MAX_SIMILAR } from '../modules/proposals/similarity';
import { SignalKind } from '../modules/signals/signal-kind';
import type { ListSize, ParentField } from '../core/cost';

/**
 * How many items the cost model (`cost.ts`) expects of each list field that no `first`
 * argument sizes: a hard bound where the code has one and it is small, else a generous
 * typical size at city scale (the seeded catalogue's figure in brackets; for lists whose
 * length differs from item to item, a generous mean). Outliers are caught by the response
 * cap. docs/security.md explains the choice; a unit test fails when a list field of the
 * schema is missing here.
 */
const CATEGORIES = 30; // [25]
const DEPARTMENTS = 50; // [47]
const DISTRICTS = 10; // Guiyang's 10 county-level divisions
const CO_DEPARTMENTS = 3; // [at most 3 per service]
const count = (values: object) => Object.keys(values).length;
const fixed =
  (n: number): ListSize =>
  () =>
    n;

export const LIST_SIZES: Record<string, ListSize> = {
  'Query.categories': fixed(CATEGORIES),
  'Query.departments': fixed(DEPARTMENTS),
  'Query.districts': fixed(DISTRICTS),
  'Query.demandTrends': (args) => trendGroups(args),
  'DemandTrend.points': (_args, parent) => trendPeriods(parent),
  'ServiceOffering.coDepartments': fixed(CO_DEPARTMENTS),
  'ServiceVersion.coDepartments': fixed(CO_DEPARTMENTS),
  'ServiceProposal.coDepartments': fixed(CO_DEPARTMENTS),
  // A new version per approved revision: a few a year.
  'ServiceOffering.versions': fixed(5),
  // Most services serve the whole city (an empty list) [at most 4].
  'Eligibility.districts': fixed(4),
  'Citizen.interests': fixed(10),
  'ServiceMatch.reasons': fixed(count(MatchReasonKind)),
  'RequestOutcome.matches': fixed(REQUEST_MATCHES),
  'UnmetDemandCluster.districts': fixed(DISTRICTS),
  'ServiceProposal.similarServices': fixed(MAX_SIMILAR),
  'ServiceProposal.reviews': fixed(5),
  // A 30-day report at 5M signals held 532 findings (docs/benchmarks.md); fewer stop holding
  // from one period to the next.
  'CatalogueReport.findings': fixed(500),
  'CatalogueReport.resolvedFindings': fixed(100),
  // Per finding: 4 to 8 metrics; one service (two to merge); a district or none; departments
  // only for ADD_SERVICE (at most MAX_FITTING_DEPARTMENTS).
  'Finding.metrics': fixed(6),
  'Finding.services': fixed(1),
  'Finding.districts': fixed(1),
  'Finding.departments': fixed(1),
  'Query.departmentPerformance': fixed(DEPARTMENTS),
  'Query.rankingModels': fixed(LISTED_MODELS),
  'RankingModel.parameters': fixed(FITTED_PARAMETERS.length),
  'RankingEvaluation.baselines': fixed(BASELINES.length),
  'CatalogueReport.departmentPerformance': fixed(DEPARTMENTS),
  // Integrators' endpoints: a handful per city.
  'Query.webhooks': fixed(20),
  // The needs model (seeds/needs): 28 life events, 278 needs; per need at most 4 services and
  // 4 departments; per life event a mean of about 12 needs, 20 services and 8 departments.
  'Query.lifeEvents': fixed(30),
  'LifeEvent.needs': fixed(15),
  'LifeEvent.services': fixed(20),
  'LifeEvent.departments': fixed(8),
  'Need.services': fixed(4),
  'Need.departments': fixed(4),
  'CitizenRequest.notes': fixed(10),
  'CitizenRequest.offeredServices': fixed(REQUEST_MATCHES),
  // Needs recognised in one request (a few at most) and a need's life events (at most 4).
  'RequestOutcome.needs': fixed(5),
  'RecognisedNeed.lifeEvents': fixed(4),
  // Service guides and points (seeds/catalogue/guides.json, seeds/service-points): at most 6
  // materials per guide; a service is handled at up to 48 of the 62 points (a mean of about
  // 15); opening hours per weekday.
  'ServiceGuide.materials': fixed(6),
  'ServiceOffering.points': fixed(20),
  'ServicePointView.hours': fixed(7),
};

/**
 * Trends are returned for the combinations present only, and the API has no `first` to bound
 * them: every combination of the grouped dimensions is counted, up to this many. A split by
 * all four (7,200 combinations) is a legitimate planner's view of a short window; the
 * response cap answers for one that is denser than this.
 */
const MAX_TREND_GROUPS = 200;

/** One trend per combination of the grouped dimensions present, up to MAX_TREND_GROUPS. */
function trendGroups(args: Record<string, unknown>): number {
  const filter = (args.filter ?? {}) as {
    districtCode?: string | null;
    ageBand?: string | null;
    kinds?: unknown[] | null;
  };
  const sizes: Record<DemandDimension, number> = {
    [DemandDimension.CATEGORY]: CATEGORIES,
    [DemandDimension.DISTRICT]: filter.districtCode ? 1 : DISTRICTS,
    [DemandDimension.AGE_BAND]: filter.ageBand ? 1 : count(AgeBand),
    [DemandDimension.KIND]: filter.kinds?.length || count(SignalKind),
  };
  const groupBy = new Set((args.groupBy ?? []) as DemandDimension[]);
  return Math.min(
    [...groupBy].reduce((groups, dimension) => groups * (sizes[dimension] ?? 1), 1),
    MAX_TREND_GROUPS,
  );
}

/** Every period of the window is a point (zeros included). */
function trendPeriods(parent: ParentField | null): number {
  const args = parent?.args ?? {};
  const filter = (args.filter ?? {}) as { from?: Date; to?: Date };
  try {
    const window = demandWindow(filter.from as Date, filter.to as Date);
    const granularity = (args.granularity as Granularity | null) ?? Granularity.WEEK;
    return periodsOf(window.firstDay, window.lastDay, granularity).length;
  } catch {
    return 1; // the field refuses the window before reading anything
  }
}
