import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import type { OutsideDemand, ServiceFacts } from './report-rules';
import type { Finding, ReportSummary, ReportTrigger } from './report.types';

/**
 * The SQL of catalogue reports: what a report reads of the period (rollups, service activity,
 * 好差评, signals), and the stored reports (`catalogue_report`: one per period, no two of one
 * granularity overlapping).
 */

/** A stored finding: the rule's output with its key, ids and change. */
export type StoredFinding = Omit<Finding, never>;

/** The signals and the REQUEST signals of the city days [firstDay, lastDay], from the daily rollups. */
export async function demandTotals(
  db: EntityManager,
  firstDay: string,
  lastDay: string,
): Promise<{ signals: number; requests: number }> {
  const [totals] = await queryRows<{ signals: number; requests: number }>(
    db,
    `SELECT coalesce(sum(signals), 0)::int AS signals, coalesce(sum(signals) FILTER (WHERE kind = 'REQUEST'), 0)::int AS requests
         FROM demand_daily WHERE day >= $1 AND day <= $2`,
    [firstDay, lastDay],
  );
  return totals;
}

/** The distinct citizens with a signal on the city days [firstDay, lastDay], from the rollups' memberships. */
export async function activeCitizenCount(db: EntityManager, firstDay: string, lastDay: string): Promise<number> {
  const [active] = await queryRows<{ count: number }>(
    db,
    `SELECT count(DISTINCT citizen_id)::int AS count FROM demand_daily_citizen WHERE day >= $1 AND day <= $2`,
    [firstDay, lastDay],
  );
  return active.count;
}

/**
 * The unmet REQUEST signals of [from, to) (the partial index on unmet requests,
 * signal_unmet_request_idx), counted by text (null for requests stored without one).
 */
export async function unmetRequestTexts(
  db: EntityManager,
  from: Date,
  to: Date,
): Promise<{ text: string | null; count: number }[]> {
  return queryRows<{ text: string | null; count: number }>(
    db,
    `SELECT text, count(*)::int AS count FROM signal
      WHERE kind = 'REQUEST' AND unmet AND occurred_at >= $1 AND occurred_at < $2
      GROUP BY text`,
    [from.toISOString(), to.toISOString()],
  );
}

/** A published service's standing: what ServiceFacts holds besides its activity in the period, and its category. */
export type ServiceStanding = Omit<
  ServiceFacts,
  'views' | 'uses' | 'complaints' | 'satisfactionRatings' | 'badSatisfactionRatings'
> & { categoryId: string };

/** Every published service with its votes and ratings, and whether it was published before `periodStart`; by code. */
export async function publishedServiceStandings(db: EntityManager, periodStart: Date): Promise<ServiceStanding[]> {
  return queryRows<ServiceStanding>(
    db,
    `SELECT s.id, s.title, s.department_id AS "departmentId", s.category_id AS "categoryId",
              s.district_codes::text[] AS "districtCodes",
              (s.published_at IS NOT NULL AND s.published_at < $1) AS "publishedBeforePeriod",
              coalesce(st.upvotes, 0) AS upvotes, coalesce(st.downvotes, 0) AS downvotes,
              coalesce(st.rating_count, 0) AS "ratingCount", coalesce(st.rating_sum, 0) AS "ratingSum"
         FROM service s LEFT JOIN service_stats st ON st.service_id = s.id
        WHERE s.status = 'PUBLISHED' ORDER BY s.code`,
    [periodStart.toISOString()],
  );
}

/**
 * VIEW, USE and COMPLAINT citizen-days per service on the city days [firstDay, lastDay]
 * (service_activity_daily.citizens: one account counts once a day, so that no account steers a
 * finding; the raw signal counts stay in its `count`).
 */
export async function serviceActivityCounts(
  db: EntityManager,
  firstDay: string,
  lastDay: string,
): Promise<{ serviceId: string; kind: string; count: number }[]> {
  return queryRows<{ serviceId: string; kind: string; count: number }>(
    db,
    `SELECT service_id AS "serviceId", kind::text AS kind, sum(citizens)::int AS count
         FROM service_activity_daily
        WHERE day >= $1 AND day <= $2 AND kind IN ('VIEW', 'USE', 'COMPLAINT')
        GROUP BY 1, 2`,
    [firstDay, lastDay],
  );
}

/** 好差评 per service given in [from, to), and the bad ones among them (satisfaction_rating_at_idx). */
export async function satisfactionCounts(
  db: EntityManager,
  from: Date,
  to: Date,
): Promise<{ serviceId: string; ratings: number; bad: number }[]> {
  return queryRows<{ serviceId: string; ratings: number; bad: number }>(
    db,
    `SELECT service_id AS "serviceId", count(*)::int AS ratings,
              count(*) FILTER (WHERE level IN ('DISSATISFIED', 'VERY_DISSATISFIED'))::int AS bad
         FROM satisfaction_rating
        WHERE service_id IS NOT NULL AND at >= $1 AND at < $2
        GROUP BY 1`,
    [from.toISOString(), to.toISOString()],
  );
}

/**
 * The VIEW, USE, RATING and COMPLAINT signals of [from, to) on the given services from
 * districts the service does not serve, per service and district (the service index of signal).
 */
export async function outsideDistrictSignals(
  db: EntityManager,
  serviceIds: string[],
  from: Date,
  to: Date,
): Promise<OutsideDemand[]> {
  return queryRows<OutsideDemand & { districtCodes?: never }>(
    db,
    `SELECT sig.service_id AS "serviceId", sig.district_code AS "districtCode", count(*)::int AS signals,
            count(DISTINCT sig.citizen_id)::int AS citizens
       FROM signal sig JOIN service s ON s.id = sig.service_id
      WHERE sig.service_id = ANY($1::uuid[]) AND sig.occurred_at >= $2 AND sig.occurred_at < $3
        AND sig.kind IN ('VIEW', 'USE', 'RATING', 'COMPLAINT')
        AND NOT (sig.district_code = ANY(s.district_codes))
      GROUP BY 1, 2`,
    [serviceIds, from.toISOString(), to.toISOString()],
  );
}

/** Every district's code and name. */
export async function listDistricts(db: EntityManager): Promise<{ code: string; name: string }[]> {
  return queryRows<{ code: string; name: string }>(db, 'SELECT code, name FROM district');
}

/** Every department's id, code and name. */
export async function listDepartments(db: EntityManager): Promise<{ id: string; code: string; name: string }[]> {
  return queryRows<{ id: string; code: string; name: string }>(db, 'SELECT id, code, name FROM department');
}

/** The given departments' names (those that exist). */
export async function departmentNamesByIds(db: EntityManager, ids: string[]): Promise<{ id: string; name: string }[]> {
  return queryRows<{ id: string; name: string }>(db, 'SELECT id, name FROM department WHERE id = ANY($1::uuid[])', [
    ids,
  ]);
}

/** The given services' codes and titles (those that exist). */
export async function serviceTitlesByIds(
  db: EntityManager,
  ids: string[],
): Promise<{ id: string; code: string; title: string }[]> {
  return queryRows<{ id: string; code: string; title: string }>(
    db,
    'SELECT id, code, title FROM service WHERE id = ANY($1::uuid[])',
    [ids],
  );
}

/** A stored report as read (the JSON columns are parsed by the driver, or text on some). */
export interface ReportRow {
  id: string;
  periodStart: Date;
  periodEnd: Date;
  generatedAt: Date;
  trigger: ReportTrigger;
  summary: ReportSummary;
  findings: StoredFinding[];
  resolved: StoredFinding[];
  previousId: string | null;
}

const REPORT_COLUMNS = `id, period_start AS "periodStart", period_end AS "periodEnd", generated_at AS "generatedAt", trigger::text AS trigger,
  summary, findings, resolved, previous_id AS "previousId"`;

/** The id of the report stored for exactly [from, to), or null. */
export async function reportIdOfPeriod(db: EntityManager, from: Date, to: Date): Promise<string | null> {
  const [existing] = await queryRows<{ id: string }>(
    db,
    'SELECT id FROM catalogue_report WHERE period_start = $1 AND period_end = $2',
    [from.toISOString(), to.toISOString()],
  );
  return existing?.id ?? null;
}

/** The earliest stored report of the granularity whose period overlaps [from, to), or null. */
export async function overlappingReportId(
  db: EntityManager,
  from: Date,
  to: Date,
  granularity: string,
): Promise<string | null> {
  const [overlapping] = await queryRows<{ id: string }>(
    db,
    `SELECT id FROM catalogue_report
    WHERE granularity = $3 AND tstzrange(period_start, period_end) && tstzrange($1::timestamptz, $2::timestamptz)
    ORDER BY period_start LIMIT 1`,
    [from.toISOString(), to.toISOString(), granularity],
  );
  return overlapping?.id ?? null;
}

/** The newest report that ended by `before` (the latest end, then the latest start), with its findings. */
export async function previousReport(
  db: EntityManager,
  before: Date,
): Promise<{ id: string; findings: StoredFinding[] | string } | undefined> {
  const [previous] = await queryRows<{ id: string; findings: StoredFinding[] | string }>(
    db,
    `SELECT id, findings FROM catalogue_report WHERE period_end <= $1 ORDER BY period_end DESC, period_start DESC LIMIT 1`,
    [before.toISOString()],
  );
  return previous;
}

export interface NewReport {
  id: string;
  from: Date;
  to: Date;
  granularity: string;
  trigger: ReportTrigger;
  /** The summary's JSON (with the department figures). */
  summary: string;
  findings: string;
  resolved: string;
  previousId: string | null;
  requestedBy: string | null;
}

/**
 * Stores a report; undefined when one of the same period is stored (the unique period, also
 * against a concurrent writer). An overlapping report of the same granularity fails the
 * statement with 23P01 (exclusion_violation).
 */
export async function insertReport(db: EntityManager, report: NewReport): Promise<ReportRow | undefined> {
  const [row] = await queryRows<ReportRow>(
    db,
    `INSERT INTO catalogue_report (id, period_start, period_end, granularity, trigger, summary, findings, resolved, previous_id, requested_by)
   VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10)
   ON CONFLICT (period_start, period_end) DO NOTHING
   RETURNING ${REPORT_COLUMNS}`,
    [
      report.id,
      report.from.toISOString(),
      report.to.toISOString(),
      report.granularity,
      report.trigger,
      report.summary,
      report.findings,
      report.resolved,
      report.previousId,
      report.requestedBy,
    ],
  );
  return row;
}

/** A page of the stored reports, newest first (by period). */
export async function reportPage(db: EntityManager, limit: number, offset: number): Promise<ReportRow[]> {
  return queryRows<ReportRow>(
    db,
    `SELECT ${REPORT_COLUMNS} FROM catalogue_report ORDER BY period_start DESC, period_end DESC, id DESC LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
}

/** The number of stored reports. */
export async function reportCount(db: EntityManager): Promise<number> {
  const [{ count }] = await queryRows<{ count: number }>(db, 'SELECT count(*)::int AS count FROM catalogue_report');
  return count;
}

/** The stored reports of the ids (valid UUIDs), in no order. */
export async function reportRowsByIds(db: EntityManager, ids: string[]): Promise<ReportRow[]> {
  return queryRows<ReportRow>(db, `SELECT ${REPORT_COLUMNS} FROM catalogue_report WHERE id = ANY($1::uuid[])`, [ids]);
}
