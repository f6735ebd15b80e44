import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { isUuid } from '../../db/sql';
import { departmentFigures, type DepartmentFigures } from '../requests/performance.service';
import { DepartmentPerformance } from '../requests/requests.types';
import { inTransaction, requireRole, systemContext, type Context } from '../../core/context';
import { BadInputError, ConflictError } from '../../core/errors';
import { unmetDemand } from '../analytics/unmet.service';
import { expressesNoNeed } from '../../text/non-requests';
import { addDays, cityDayOf, cityMidnight } from '../analytics/periods';
import { recordAudit } from '../audit/audit.service';
import { catalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { SimilarityIndex } from '../proposals/similarity';
import {
  addFinding,
  compareFindings,
  expandFinding,
  findingKey,
  improveFinding,
  isMergePair,
  mergeFinding,
  mergeGroups,
  promoteFinding,
  retireFinding,
  shownFinding,
  sortFindings,
  THRESHOLDS,
  type OutsideDemand,
  type RuleFinding,
  type ServiceFacts,
} from './report-rules';
import { checkPeriodEnded, reportGranularity } from './report-periods';
import { CatalogueReport, Finding, ReportTrigger, type ReportSummary, type StoredCluster } from './report.types';
import { reportsPolicy } from './reports.policy';
import {
  activeCitizenCount,
  demandTotals,
  listDepartments,
  listDistricts,
  insertReport,
  outsideDistrictSignals,
  overlappingReportId,
  previousReport,
  publishedServiceStandings,
  reportCount,
  reportIdOfPeriod,
  reportPage,
  reportRowsByIds,
  satisfactionCounts,
  serviceActivityCounts,
  unmetRequestTexts,
  type ReportRow,
  type StoredFinding,
} from './reports.queries';

/** The longest period a report may cover. */
export const MAX_PERIOD_DAYS = 366;
/** Unmet clusters read per report (the largest first); smaller ones are below the ADD threshold anyway. */
const MAX_CLUSTERS = 100;
/** Near-duplicates looked at per service (regional variants may take many of the places). */
const MAX_SIMILAR_PER_SERVICE = 50;
/** Departments named as fitting an ADD_SERVICE finding. */
const MAX_FITTING_DEPARTMENTS = 3;

export type { StoredFinding } from './reports.queries';

interface Content {
  summary: ReportSummary;
  findings: Omit<StoredFinding, 'change'>[];
  /** Per department, its cases opened in the period (overdue as at the period's end), most received first. */
  departmentPerformance: DepartmentFigures[];
}

/** Checks a period and returns the city days it covers (rollups are per city day). */
export function periodDays(
  periodStart: Date,
  periodEnd: Date,
): { firstDay: string; lastDay: string; from: Date; to: Date } {
  if (Number.isNaN(periodStart.getTime()) || Number.isNaN(periodEnd.getTime())) {
    throw BadInputError.field('periodStart', 'date', 'periodStart and periodEnd must be valid times');
  }
  if (periodEnd.getTime() <= periodStart.getTime())
    throw BadInputError.field('periodEnd', 'period', 'periodEnd must be after periodStart');
  if (periodEnd.getTime() - periodStart.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw BadInputError.field('periodEnd', 'period', `a report covers at most ${MAX_PERIOD_DAYS} days`);
  }
  const firstDay = cityDayOf(periodStart);
  const lastDay = cityDayOf(new Date(periodEnd.getTime() - 1));
  return { firstDay, lastDay, from: cityMidnight(firstDay), to: cityMidnight(addDays(lastDay, 1)) };
}

async function summaryOf(
  db: EntityManager,
  days: ReturnType<typeof periodDays>,
  publishedServices: number,
): Promise<ReportSummary> {
  // Sequential: a report is built inside one transaction, on one connection.
  const totals = await demandTotals(db, days.firstDay, days.lastDay);
  const activeCitizens = await activeCitizenCount(db, days.firstDay, days.lastDay);
  const { unmet, noNeed } = unmetCounts(await unmetRequestTexts(db, days.from, days.to));
  return { ...coverageOf(totals.requests, unmet, noNeed), signals: totals.signals, activeCitizens, publishedServices };
}

/**
 * The unmet requests of the period, by text: those that express a need (`unmet`) and those
 * that express none (`noNeed`: greetings, tests, gibberish, markup; `expressesNoNeed`). A
 * request stored without a text is unmet.
 */
export function unmetCounts(texts: readonly { text: string | null; count: number }[]): {
  unmet: number;
  noNeed: number;
} {
  let unmet = 0;
  let noNeed = 0;
  for (const { text, count } of texts) {
    if (text !== null && expressesNoNeed(text)) noNeed += count;
    else unmet += count;
  }
  return { unmet, noNeed };
}

/**
 * `requests`, the unmet ones and the coverage. Unmet requests that express no need count
 * neither as unmet nor in the coverage's base: coverage is the share of the other requests
 * that a service met (1 with none). The request total is that of the rollups, which may lag
 * the signals: unmet is at most the requests less those of no need.
 */
export function coverageOf(
  requests: number,
  unmet: number,
  noNeed: number,
): Pick<ReportSummary, 'requests' | 'coverage' | 'unmetRequests'> {
  const needing = Math.max(0, requests - noNeed);
  const unmetRequests = Math.min(unmet, needing);
  return {
    requests,
    coverage: needing === 0 ? 1 : Math.round(((needing - unmetRequests) / needing) * 1e4) / 1e4,
    unmetRequests,
  };
}

type FactsRow = ServiceFacts & { categoryId: string };

/** Every published service with its standing and its activity in the period (service_activity_daily). */
async function serviceFacts(db: EntityManager, days: ReturnType<typeof periodDays>): Promise<FactsRow[]> {
  const services = await publishedServiceStandings(db, days.from);
  const activity = await serviceActivityCounts(db, days.firstDay, days.lastDay);
  const counts = new Map<string, Record<string, number>>();
  for (const row of activity) {
    const entry = counts.get(row.serviceId) ?? {};
    entry[row.kind] = row.count;
    counts.set(row.serviceId, entry);
  }
  // 好差评 given in the period (satisfaction_rating_at_idx).
  const ratings = await satisfactionCounts(db, days.from, days.to);
  const rated = new Map(ratings.map((r) => [r.serviceId, r]));
  return services.map((s) => {
    const c = counts.get(s.id) ?? {};
    const r = rated.get(s.id);
    return {
      ...s,
      views: c.VIEW ?? 0,
      uses: c.USE ?? 0,
      complaints: c.COMPLAINT ?? 0,
      satisfactionRatings: r?.ratings ?? 0,
      badSatisfactionRatings: r?.bad ?? 0,
    };
  });
}

/** Signals on district-limited services from districts they do not serve (the service index of signal). */
async function outsideDemand(
  db: EntityManager,
  facts: FactsRow[],
  days: ReturnType<typeof periodDays>,
): Promise<OutsideDemand[]> {
  const limited = facts.filter((s) => s.districtCodes.length > 0);
  if (limited.length === 0) return [];
  return outsideDistrictSignals(
    db,
    limited.map((s) => s.id),
    days.from,
    days.to,
  );
}

const withKey = (finding: RuleFinding, extra: Partial<StoredFinding> = {}): Omit<StoredFinding, 'change'> => ({
  key: findingKey(finding.kind, finding.serviceIds, extra.cluster?.id ?? null),
  kind: finding.kind,
  priority: finding.priority,
  title: finding.title,
  rationale: finding.rationale,
  metrics: finding.metrics,
  serviceIds: finding.serviceIds,
  districtCodes: finding.districtCodes,
  departmentIds: extra.departmentIds ?? [],
  cluster: extra.cluster ?? null,
});

type NamedBy = (key: string) => string;

/** Near-duplicates: each published service against the others, each pair once, grouped. */
function mergeFindings(
  facts: Awaited<ReturnType<typeof serviceFacts>>,
  snapshot: Awaited<ReturnType<typeof catalogueSnapshot>>,
  departmentName: NamedBy,
): Omit<StoredFinding, 'change'>[] {
  const findings: Omit<StoredFinding, 'change'>[] = [];
  const factsById = new Map(facts.map((s) => [s.id, s]));
  const comparable = [...snapshot.services.values()].filter((s) => factsById.has(s.id));
  const index = new SimilarityIndex(comparable);
  const pairs: { a: string; b: string; similarity: number }[] = [];
  for (const service of comparable) {
    const similars = index.similarTo(service, {
      exclude: new Set([service.id]),
      floor: THRESHOLDS.mergeMinSimilarity,
      limit: MAX_SIMILAR_PER_SERVICE,
    });
    for (const similar of similars) {
      if (similar.serviceId <= service.id) continue;
      if (isMergePair(factsById.get(service.id)!, factsById.get(similar.serviceId)!, similar.similarity)) {
        pairs.push({ a: service.id, b: similar.serviceId, similarity: similar.similarity });
      }
    }
  }
  for (const group of mergeGroups(pairs)) {
    const members = new Set(group);
    const similarity = Math.max(...pairs.filter((p) => members.has(p.a)).map((p) => p.similarity));
    const rule = mergeFinding(
      group.map((id) => factsById.get(id)!),
      similarity,
      departmentName,
    );
    if (rule) findings.push(withKey(rule));
  }
  return findings;
}

/** Large unmet clusters, with the departments that already serve the cluster's category. */
function clusterFindings(
  clusters: Awaited<ReturnType<typeof unmetDemand>>,
  facts: Awaited<ReturnType<typeof serviceFacts>>,
  departmentIdByCode: Map<string, string>,
  departmentName: NamedBy,
  districtName: NamedBy,
): Omit<StoredFinding, 'change'>[] {
  const findings: Omit<StoredFinding, 'change'>[] = [];
  for (const cluster of clusters) {
    // The departments the needs data makes responsible for the need; for a cluster of no known
    // need, those serving its category. Never the closest service's: it is by definition unrelated.
    const categoryId = cluster.category?.id ?? null;
    const fitting = new Map<string, number>();
    if (categoryId)
      for (const s of facts)
        if (s.categoryId === categoryId) fitting.set(s.departmentId, (fitting.get(s.departmentId) ?? 0) + 1);
    const departmentIds = cluster.need
      ? cluster.need.departmentCodes.flatMap((code) => departmentIdByCode.get(code) ?? [])
      : [...fitting]
          .sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b))
          .slice(0, MAX_FITTING_DEPARTMENTS)
          .map(([id]) => id);
    const rule = addFinding(
      {
        id: cluster.id,
        label: cluster.label,
        requestCount: cluster.requestCount,
        citizenCount: cluster.citizenCount,
        districtCodes: cluster.districts.map((d) => d.district.code),
        sampleRequests: cluster.sampleRequests,
      },
      departmentIds.map(departmentName),
      districtName,
    );
    if (!rule) continue;
    const stored: StoredCluster = {
      id: cluster.id,
      label: cluster.label,
      keywords: cluster.keywords,
      requestCount: cluster.requestCount,
      searchCount: cluster.searchCount,
      citizenCount: cluster.citizenCount,
      categoryId: cluster.category?.id ?? null,
      districts: cluster.districts.map((d) => ({ code: d.district.code, count: d.count })),
      sampleRequests: cluster.sampleRequests,
      closestServiceId: cluster.closestService?.id ?? null,
      closestScore: cluster.closestScore,
      needCode: cluster.need?.code ?? null,
    };
    findings.push(withKey(rule, { cluster: stored, departmentIds }));
  }
  return findings;
}

/** Computes a report's summary and findings for the period; reads only, through `ctx.db`. */
export async function buildReportContent(ctx: Context, periodStart: Date, periodEnd: Date): Promise<Content> {
  const days = periodDays(periodStart, periodEnd);
  const db = ctx.db;
  const facts = await serviceFacts(db, days);
  const districts = await listDistricts(db);
  const departments = await listDepartments(db);
  const departmentIdByCode = new Map(departments.map((d) => [d.code, d.id]));
  const districtNames = new Map(districts.map((d) => [d.code, d.name]));
  const departmentNames = new Map(departments.map((d) => [d.id, d.name]));
  const districtName = (code: string) => districtNames.get(code) ?? code;
  const departmentName = (id: string) => departmentNames.get(id) ?? id;

  const summary = await summaryOf(db, days, facts.length);
  const outside = await outsideDemand(db, facts, days);
  const clusters = await unmetDemand(ctx, { from: days.from, to: days.to, districtCode: null, first: MAX_CLUSTERS });
  const snapshot = await catalogueSnapshot(ctx.dataSource, db);

  const findings: Omit<StoredFinding, 'change'>[] = [];
  for (const s of facts) {
    for (const rule of [
      improveFinding(s),
      retireFinding(s),
      promoteFinding(s),
      expandFinding(s, outside, districtName),
    ]) {
      if (rule) findings.push(withKey(rule));
    }
  }

  findings.push(...mergeFindings(facts, snapshot, departmentName));
  findings.push(...clusterFindings(clusters, facts, departmentIdByCode, departmentName, districtName));
  const departmentPerformance = await departmentFigures(
    db,
    days.from,
    days.to,
    new Date(Math.min(Date.now(), days.to.getTime())),
  );
  return { summary, findings: sortFindings(findings), departmentPerformance };
}

const toFinding = (stored: StoredFinding): Finding => Object.assign(new Finding(), shownFinding(stored));

export function toReport(row: ReportRow): CatalogueReport {
  const parse = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
  // Reports stored before department figures were kept have none.
  const { departments = [], ...summary } = parse(row.summary) as ReportSummary & { departments?: DepartmentFigures[] };
  return Object.assign(new CatalogueReport(), {
    id: row.id,
    periodStart: new Date(row.periodStart),
    periodEnd: new Date(row.periodEnd),
    generatedAt: new Date(row.generatedAt),
    trigger: row.trigger,
    summary,
    departmentPerformance: departments.map((figures) => Object.assign(new DepartmentPerformance(), figures)),
    findings: parse(row.findings).map(toFinding),
    resolvedFindings: parse(row.resolved).map(toFinding),
    previousId: row.previousId,
  });
}

/** PostgreSQL's exclusion_violation: a report of the same granularity overlaps (a concurrent writer won). */
const EXCLUSION_VIOLATION = '23P01';

function isExclusionViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  return e?.code === EXCLUSION_VIOLATION || e?.driverError?.code === EXCLUSION_VIOLATION;
}

/**
 * The period a report may be stored for: the city days it covers (stored as such, from the
 * first day's midnight to the midnight after the last), all of them over by `now`, and its
 * granularity. BAD_USER_INPUT naming the argument otherwise.
 */
export function reportablePeriod(periodStart: Date, periodEnd: Date, now = new Date()) {
  const days = periodDays(periodStart, periodEnd);
  checkPeriodEnded(days, now);
  return { ...days, granularity: reportGranularity(days.firstDay, days.lastDay) };
}

/**
 * Builds and stores the report of a period in the caller's transaction (`tx.db`), against the
 * newest report that ended by the period's start. The period must have ended
 * (reportablePeriod). Returns null when a report of the same days is already stored (the
 * unique period constraint decides, also against a concurrent writer); CONFLICT when the
 * period overlaps a stored report of the same granularity (an exclusion constraint decides
 * against a concurrent writer: the caller's transaction then fails with its 23P01).
 */
export async function storeReport(
  tx: Context,
  periodStart: Date,
  periodEnd: Date,
  trigger: ReportTrigger,
): Promise<CatalogueReport | null> {
  if (!tx.db.queryRunner?.isTransactionActive) throw new Error('storeReport must run inside a transaction');
  const period = reportablePeriod(periodStart, periodEnd);
  if ((await reportIdOfPeriod(tx.db, period.from, period.to)) !== null) return null;
  const overlapping = await overlappingReportId(tx.db, period.from, period.to, period.granularity);
  if (overlapping) {
    throw new ConflictError(`The period overlaps a stored report of the same granularity (${period.granularity})`, {
      reportId: overlapping,
      granularity: period.granularity,
    });
  }
  const content = await buildReportContent(tx, period.from, period.to);
  const previous = await previousReport(tx.db, period.from);
  const previousFindings = previous
    ? typeof previous.findings === 'string'
      ? JSON.parse(previous.findings)
      : previous.findings
    : null;
  const { findings, resolved } = compareFindings(content.findings, previousFindings as StoredFinding[] | null);
  const row = await insertReport(tx.db, {
    id: randomUUID(),
    from: period.from,
    to: period.to,
    granularity: period.granularity,
    trigger,
    // The department figures ride in the summary's JSON (no column of their own).
    summary: JSON.stringify({ ...content.summary, departments: content.departmentPerformance }),
    findings: JSON.stringify(findings),
    resolved: JSON.stringify(resolved),
    previousId: previous?.id ?? null,
    requestedBy: tx.user?.id ?? null,
  });
  return row ? toReport(row) : null;
}

/** generateCatalogueReport: PLANNER, ADMIN; one transaction with its audit event. */
export async function generateReport(ctx: Context, periodStart: Date, periodEnd: Date): Promise<CatalogueReport> {
  requireRole(ctx, ...reportsPolicy.generateCatalogueReport);
  const period = reportablePeriod(periodStart, periodEnd);
  try {
    return await inTransaction(ctx, async (tx) => {
      const report = await storeReport(tx, periodStart, periodEnd, ReportTrigger.MANUAL);
      if (!report) {
        const existing = await reportIdOfPeriod(tx.db, period.from, period.to);
        throw new ConflictError('A report of this period is already stored', { reportId: existing });
      }
      await recordAudit(tx, {
        action: 'report.generate',
        targetType: 'catalogue_report',
        targetId: report.id,
        details: {
          periodStart: report.periodStart.toISOString(),
          periodEnd: report.periodEnd.toISOString(),
          findings: report.findings.length,
        },
      });
      return report;
    });
  } catch (error) {
    if (!isExclusionViolation(error)) throw error;
    const message = `The period overlaps a report of the same granularity (${period.granularity}) stored at the same time`;
    throw new ConflictError(message, { granularity: period.granularity });
  }
}

/** A context for jobs and the command line: the SYSTEM actor, no user, its own loaders. */
export function jobContext(dataSource: DataSource, config: Config, logger: Logger, job = 'report-job'): Context {
  return systemContext({ job, dataSource, config, logger });
}

/** Reports newest first (by period). */
export async function listReports(
  ctx: Context,
  args: { offset: number; limit: number },
): Promise<{ nodes: CatalogueReport[]; hasNextPage: boolean; totalCount: number }> {
  requireRole(ctx, ...reportsPolicy.catalogueReports);
  const [rows, count] = await Promise.all([reportPage(ctx.db, args.limit + 1, args.offset), reportCount(ctx.db)]);
  return { nodes: rows.slice(0, args.limit).map(toReport), hasNextPage: rows.length > args.limit, totalCount: count };
}

/** Reports by id, in the order of `ids` (for the report loader). */
export async function reportsByIds(
  db: EntityManager,
  ids: readonly string[],
): Promise<(CatalogueReport | undefined)[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await reportRowsByIds(db, valid);
  const byId = new Map(rows.map((r) => [r.id, toReport(r)]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

export async function findReport(ctx: Context, id: string): Promise<CatalogueReport | null> {
  requireRole(ctx, ...reportsPolicy.catalogueReport);
  return (await ctx.loaders.catalogueReport.load(id)) ?? null;
}
