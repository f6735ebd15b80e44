import type { EntityManager } from 'typeorm';
import { cityDay, queryPrepared, queryRows } from '../../db/sql';
import { ServiceOrder, type Channel, type ServiceStatus } from './catalogue.enums';
import { searchDocument, searchVectorSql } from './search-document';
import { SERVICE_COLUMNS } from './service-row';
import type { ServiceCounters } from './service-stats';

/** The SQL of the catalogue: services, their versions, guides, co-departments and counters. */

/** A service's row under the entity's property names (SERVICE_COLUMNS or a subset), for `serviceFromRow`. */
export type ServiceRow = Record<string, unknown>;

/** The catalogue fields of a service, as an approved proposal sets them. */
export interface ServiceContent {
  title: string;
  titleEn: string | null;
  summary: string;
  description: string | null;
  categoryId: string;
  tags: string[];
  departmentId: string;
  coDepartmentIds: string[];
  channels: Channel[];
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  districtCodes: string[];
}

/** SQL for the content columns (title … district_codes, then search_vector), numbered from `$first`. */
function contentParams(content: ServiceContent, first: number): { sql: string; values: unknown[] } {
  const doc = searchDocument(content);
  const p = (i: number) => `$${first + i}`;
  return {
    sql: `${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}::channel[], ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)},
          ${searchVectorSql(p(12), p(13), p(14), p(15))}`,
    values: [
      content.title,
      content.titleEn,
      content.summary,
      content.description,
      content.categoryId,
      content.tags,
      content.departmentId,
      content.channels,
      content.minAge,
      content.maxAge,
      content.requiredTags,
      content.districtCodes,
      doc.a,
      doc.b,
      doc.c,
      doc.d,
    ],
  };
}

// ---- writes (run inside the caller's transaction)

/** Replaces the co-providing departments of a service. */
export async function replaceCoDepartments(
  db: EntityManager,
  serviceId: string,
  departmentIds: string[],
): Promise<void> {
  await db.query('DELETE FROM service_co_department WHERE service_id = $1', [serviceId]);
  if (departmentIds.length > 0) {
    await db.query('INSERT INTO service_co_department (service_id, department_id) SELECT $1, unnest($2::uuid[])', [
      serviceId,
      departmentIds,
    ]);
  }
}

/** Inserts a PUBLISHED service, version 1, published now, with its search vector. */
export async function insertPublishedService(
  db: EntityManager,
  id: string,
  code: string,
  content: ServiceContent,
): Promise<ServiceRow> {
  const params = contentParams(content, 3);
  const [row] = await queryRows<ServiceRow>(
    db,
    `INSERT INTO service AS s (id, code, title, title_en, summary, description, category_id, tags, department_id, channels,
                               min_age, max_age, required_tags, district_codes, search_vector, status, version, published_at)
     VALUES ($1, $2, ${params.sql}, 'PUBLISHED', 1, now())
     RETURNING ${SERVICE_COLUMNS}`,
    [id, code, ...params.values],
  );
  return row;
}

/** The zeroed counters row of a new service. */
export async function insertServiceStats(db: EntityManager, serviceId: string): Promise<void> {
  await db.query('INSERT INTO service_stats (service_id) VALUES ($1)', [serviceId]);
}

export interface LockedServiceHead {
  status: ServiceStatus;
  departmentId: string;
  version: number;
}

/** Locks a service's row (FOR UPDATE) and reads what a revision checks; undefined when there is none. */
export async function lockServiceHead(db: EntityManager, serviceId: string): Promise<LockedServiceHead | undefined> {
  const [current] = await queryRows<LockedServiceHead>(
    db,
    'SELECT status, department_id AS "departmentId", version FROM service WHERE id = $1 FOR UPDATE',
    [serviceId],
  );
  return current;
}

/**
 * Copies the current row of a service (with its co-departments and guide) to service_version,
 * valid from the end of the version before it (or its publication) until now, superseded by
 * `proposalId`.
 */
export async function copyServiceToVersion(db: EntityManager, serviceId: string, proposalId: string): Promise<void> {
  await db.query(
    `INSERT INTO service_version (service_id, version, code, title, title_en, summary, description, category_id, tags,
                                  department_id, co_department_ids, channels, min_age, max_age, required_tags, district_codes,
                                  status, published_at, valid_from, valid_to, superseded_by_proposal_id, guide)
     SELECT s.id, s.version, s.code, s.title, s.title_en, s.summary, s.description, s.category_id, s.tags, s.department_id,
            array(SELECT c.department_id FROM service_co_department c WHERE c.service_id = s.id ORDER BY c.department_id),
            s.channels, s.min_age, s.max_age, s.required_tags, s.district_codes, s.status, s.published_at,
            coalesce((SELECT max(v.valid_to) FROM service_version v WHERE v.service_id = s.id), s.published_at, s.created_at),
            now(), $2, (SELECT g.guide FROM service_guide g WHERE g.service_id = s.id)
       FROM service s WHERE s.id = $1`,
    [serviceId, proposalId],
  );
}

/** Replaces the content of a service in place, with version + 1; its id, code, votes and ratings stay. */
export async function updateServiceContent(
  db: EntityManager,
  serviceId: string,
  content: ServiceContent,
): Promise<ServiceRow> {
  const params = contentParams(content, 2);
  const [row] = await queryRows<ServiceRow>(
    db,
    // Through a CTE: TypeORM answers a bare UPDATE with [rows, count].
    `WITH changed AS (
       UPDATE service AS s
          SET (title, title_en, summary, description, category_id, tags, department_id, channels,
               min_age, max_age, required_tags, district_codes, search_vector)
            = (${params.sql}),
              version = s.version + 1, updated_at = now()
        WHERE s.id = $1
        RETURNING ${SERVICE_COLUMNS}
     ) SELECT * FROM changed`,
    [serviceId, ...params.values],
  );
  return row;
}

/** Sets the guide of a service's current version (JSON text). */
export async function upsertServiceGuide(db: EntityManager, serviceId: string, guideJson: string): Promise<void> {
  await db.query(
    `INSERT INTO service_guide (service_id, guide) VALUES ($1, $2::jsonb)
     ON CONFLICT (service_id) DO UPDATE SET guide = excluded.guide`,
    [serviceId, guideJson],
  );
}

/** Locks a service's row (FOR UPDATE) and reads it whole. */
export async function lockService(db: EntityManager, id: string): Promise<ServiceRow | undefined> {
  const [row] = await queryRows<ServiceRow>(db, `SELECT ${SERVICE_COLUMNS} FROM service s WHERE s.id = $1 FOR UPDATE`, [
    id,
  ]);
  return row;
}

/** Retires a PUBLISHED service (retired_at and updated_at now); undefined when it was not PUBLISHED. */
export async function markServiceRetired(db: EntityManager, id: string): Promise<ServiceRow | undefined> {
  const [updated] = await queryRows<ServiceRow>(
    db,
    `WITH changed AS (
         UPDATE service AS s SET status = 'RETIRED', retired_at = now(), updated_at = now()
          WHERE s.id = $1 AND s.status = 'PUBLISHED' RETURNING ${SERVICE_COLUMNS}
       ) SELECT * FROM changed`,
    [id],
  );
  return updated;
}

// ---- the catalogue's listing

/** The id of the category of `code`. */
export async function categoryIdByCode(db: EntityManager, code: string): Promise<string | undefined> {
  const [row] = await queryRows<{ id: string }>(db, 'SELECT id FROM category WHERE code = $1', [code]);
  return row?.id;
}

class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Citizen-days of use (or view) in the last 30 city days: one account counts once a day (docs/analytics.md). */
const USES_30D = `(SELECT coalesce(sum(a.citizens), 0) FROM service_activity_daily a
   WHERE a.service_id = s.id AND a.kind = 'USE' AND a.day > ${cityDay('now()')} - 30)`;
const VIEWS_30D = USES_30D.replace("a.kind = 'USE'", "a.kind = 'VIEW'");

/** What a page of the catalogue selects, checked by the caller (the category resolved, the district and department known). */
export interface ServiceCriteria {
  status: ServiceStatus;
  /** A `to_tsquery('simple', …)` text the services' search vectors must match (and RELEVANCE ranks by). */
  tsQuery: string | null;
  /** The category or its subcategories. */
  categoryId: string | null;
  /** Services of every district, or of this one. */
  districtCode: string | null;
  /** Led or co-provided by the department. */
  departmentId: string | null;
  /** Tagged with all of them. */
  tags: string[] | null;
  orderBy: ServiceOrder;
  offset: number;
  limit: number;
  /** The columns of `service s` read (SERVICE_COLUMNS or a subset). */
  columnsSql: string;
  /** Read each service's counters in the same statement. */
  withCounters: boolean;
}

/** A row of a page: the service's columns, the total and, with `withCounters`, its counters (and position). */
export type ServicePageRow = ServiceRow & { totalCount?: number; counters?: number[]; position?: string };

/**
 * `limit + 1` rows of the page from `offset` (the extra one tells of a next page), each with
 * the total; a page past the end has no row, and its total is counted apart.
 */
export async function servicePage(
  db: EntityManager,
  criteria: ServiceCriteria,
): Promise<{ rows: ServicePageRow[]; totalCount: number }> {
  const params = new SqlParams();
  const where: string[] = [];
  where.push(`s.status = ${params.add(criteria.status)}`);
  let rankExpression: string | null = null;
  if (criteria.tsQuery !== null) {
    const q = `to_tsquery('simple', ${params.add(criteria.tsQuery)})`;
    where.push(`s.search_vector @@ ${q}`);
    rankExpression = `ts_rank_cd(s.search_vector, ${q})`;
  }
  if (criteria.categoryId) {
    const categoryId = params.add(criteria.categoryId);
    where.push(
      `(s.category_id = ${categoryId} OR s.category_id IN (SELECT id FROM category WHERE parent_id = ${categoryId}))`,
    );
  }
  if (criteria.districtCode) {
    where.push(`(s.district_codes = '{}' OR ${params.add(criteria.districtCode)} = ANY(s.district_codes))`);
  }
  if (criteria.departmentId) {
    const departmentId = params.add(criteria.departmentId);
    where.push(`(s.department_id = ${departmentId} OR EXISTS (SELECT 1 FROM service_co_department c
      WHERE c.service_id = s.id AND c.department_id = ${departmentId}))`);
  }
  if (criteria.tags && criteria.tags.length > 0) {
    where.push(`s.tags @> ${params.add(criteria.tags)}::text[]`);
  }

  const popularity = `${USES_30D} DESC, ${VIEWS_30D} DESC, s.title`;
  const orderings: Record<ServiceOrder, string> = {
    [ServiceOrder.RELEVANCE]: rankExpression ? `${rankExpression} DESC, ${popularity}` : popularity,
    [ServiceOrder.POPULARITY]: popularity,
    [ServiceOrder.NEWEST]: 's.published_at DESC NULLS LAST, s.created_at DESC',
    [ServiceOrder.VOTE_SCORE]: `wilson_lower_bound(coalesce(st.upvotes, 0), coalesce(st.downvotes, 0)) DESC,
      coalesce(st.upvotes, 0) DESC, s.title`,
    [ServiceOrder.TITLE]: 's.title',
  };
  const whereSql = where.join(' AND ');
  const pageSql = pageStatement(
    criteria.columnsSql,
    whereSql,
    orderings[criteria.orderBy],
    params.add(criteria.limit + 1),
    params.add(criteria.offset),
    criteria.withCounters,
  );
  const rows = await queryPrepared<ServicePageRow>(db, pageSql, params.values);
  let totalCount = rows[0]?.totalCount;
  if (totalCount === undefined) {
    // A page past the end: no row to carry the total.
    const [{ count }] = await queryRows<{ count: number }>(
      db,
      `SELECT count(*)::int AS count FROM service s WHERE ${whereSql}`,
      params.values.slice(0, -2),
    );
    totalCount = count;
  }
  return { rows, totalCount };
}

/**
 * One statement: the page and the total (an uncorrelated subquery: run once), and with
 * `withCounters` each service's counters (`stats`), read for the page's rows only, in the
 * page's order.
 */
function pageStatement(
  columnsSql: string,
  whereSql: string,
  orderSql: string,
  limit: string,
  offset: string,
  withCounters: boolean,
): string {
  const page = `SELECT ${columnsSql}, (SELECT count(*)::int FROM service s WHERE ${whereSql}) AS "totalCount"
       FROM service s LEFT JOIN service_stats st ON st.service_id = s.id
      WHERE ${whereSql}
      ORDER BY ${orderSql}, s.id
      LIMIT ${limit} OFFSET ${offset}`;
  if (!withCounters) return page;
  return `WITH page AS (${page}), numbered AS (SELECT page.*, row_number() OVER () AS position FROM page)
    SELECT s.*, ${COUNTERS_COLUMN} FROM numbered s ${COUNTERS_JOINS} ORDER BY s.position`;
}

// ---- the loaders' reads

/** Services by id (ids that are not UUIDs left out by the caller). */
export async function servicesByIds(db: EntityManager, ids: string[]): Promise<ServiceRow[]> {
  return queryPrepared<ServiceRow>(db, `SELECT ${SERVICE_COLUMNS} FROM service s WHERE s.id = ANY($1::uuid[])`, [ids]);
}

/** Published services by catalogue code. */
export async function publishedServicesByCodes(db: EntityManager, codes: readonly string[]): Promise<ServiceRow[]> {
  return queryPrepared<ServiceRow>(
    db,
    `SELECT ${SERVICE_COLUMNS} FROM service s WHERE s.code = ANY($1::text[]) AND s.status = 'PUBLISHED'`,
    [codes],
  );
}

/** Citizen-days of use and of view of the service `s.id` in the last 30 city days, as a lateral subquery `a`. */
const ACTIVITY_30D = `LEFT JOIN LATERAL (
           SELECT sum(citizens) FILTER (WHERE kind = 'USE') AS uses, sum(citizens) FILTER (WHERE kind = 'VIEW') AS views
             FROM service_activity_daily
            WHERE service_id = s.id AND kind IN ('USE', 'VIEW') AND day > ${cityDay('now()')} - 30
         ) a ON true`;

/**
 * The counters of each row of `s` (with `s.id`) as one int[] column "counters", in the order
 * `countersFromArray` reads: for a statement that reads services and their counters at once.
 */
export const COUNTERS_COLUMN = `ARRAY[coalesce(st.upvotes, 0), coalesce(st.downvotes, 0), coalesce(st.rating_count, 0),
  coalesce(st.rating_sum, 0), coalesce(a.uses, 0)::int, coalesce(a.views, 0)::int] AS counters`;
export const COUNTERS_JOINS = `LEFT JOIN service_stats st ON st.service_id = s.id ${ACTIVITY_30D}`;

/** Vote and rating counters with use and view counts of the last 30 city days, of the services that have any. */
export async function serviceCounters(
  db: EntityManager,
  ids: readonly string[],
): Promise<({ id: string } & ServiceCounters)[]> {
  return queryPrepared<{ id: string } & ServiceCounters>(
    db,
    `SELECT s.id,
              coalesce(st.upvotes, 0) AS upvotes, coalesce(st.downvotes, 0) AS downvotes,
              coalesce(st.rating_count, 0) AS "ratingCount", coalesce(st.rating_sum, 0) AS "ratingSum",
              coalesce(a.uses, 0)::int AS "uses30d", coalesce(a.views, 0)::int AS "views30d"
         FROM unnest($1::uuid[]) AS s(id)
         ${COUNTERS_JOINS}`,
    [ids],
  );
}

/** A page of a department's published services by title, with its row number in the department (`rn`). */
export type DepartmentServiceRow = ServiceRow & { rn: number };

/**
 * Rows `offset + 1` to `offset + limit + 1` of the published services each of `departmentIds`
 * leads, by title, ordered by department then `rn`.
 */
export async function departmentServicesWindow(
  db: EntityManager,
  departmentIds: string[],
  offset: number,
  limit: number,
): Promise<DepartmentServiceRow[]> {
  return queryRows<DepartmentServiceRow>(
    db,
    `SELECT * FROM (
             SELECT ${SERVICE_COLUMNS},
                    row_number() OVER (PARTITION BY s.department_id ORDER BY s.title, s.id)::int AS rn
               FROM service s
              WHERE s.department_id = ANY($1::uuid[]) AND s.status = 'PUBLISHED'
           ) ranked
           WHERE rn > $2 AND rn <= $2 + $3 + 1
           ORDER BY "departmentId", rn`,
    [departmentIds, offset, limit],
  );
}

/** How many published services each of `departmentIds` leads (departments with none left out). */
export async function departmentServiceTotals(
  db: EntityManager,
  departmentIds: string[],
): Promise<{ departmentId: string; total: number }[]> {
  return queryRows<{ departmentId: string; total: number }>(
    db,
    `SELECT department_id AS "departmentId", count(*)::int AS total FROM service
                WHERE department_id = ANY($1::uuid[]) AND status = 'PUBLISHED' GROUP BY department_id`,
    [departmentIds],
  );
}

// ---- the catalogue snapshot

/** The published catalogue's version: its count, latest update and highest version, as text. */
export async function publishedCatalogueVersion(db: EntityManager): Promise<string> {
  const [row] = await queryRows<{ version: string }>(
    db,
    `SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(version), 0) AS version
       FROM service WHERE status = 'PUBLISHED'`,
  );
  return row.version;
}

/** A published service with its category's name and code and its parent's id and code. */
export type SnapshotServiceRow = ServiceRow & {
  id: string;
  categoryName: string;
  categoryCode: string;
  parentCategoryId: string | null;
  parentCode: string | null;
};

/** The published services in code order, with their categories. */
export async function publishedServicesWithCategories(db: EntityManager): Promise<SnapshotServiceRow[]> {
  return queryRows<SnapshotServiceRow>(
    db,
    `SELECT ${SERVICE_COLUMNS}, c.parent_id AS "parentCategoryId", c.name AS "categoryName", c.code AS "categoryCode", p.code AS "parentCode"
       FROM service s JOIN category c ON c.id = s.category_id LEFT JOIN category p ON p.id = c.parent_id
      WHERE s.status = 'PUBLISHED' ORDER BY s.code`,
  );
}

/** The earliest publication of any service (null before any). */
export async function firstPublicationTime(db: EntityManager): Promise<Date | null> {
  const [{ firstLoadedAt }] = await queryRows<{ firstLoadedAt: Date | null }>(
    db,
    'SELECT min(published_at) AS "firstLoadedAt" FROM service',
  );
  return firstLoadedAt;
}
