import { cityDay, queryPrepared, queryRows } from '../../db/sql';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import { isStaff, type Context } from '../../core/context';
import { queryTokens, toTsQuery } from '../../text';
import { ServiceOrder, ServiceStatus } from './catalogue.enums';
import type { ServiceFilter } from './catalogue.inputs';
import { SERVICE_COLUMNS, serviceFromRow, type ServiceColumns } from './service-row';
import { COUNTERS_COLUMN, COUNTERS_JOINS, countersFromArray } from './service.loader';
import type { ServiceOffering } from './service.entity';
import { requireDistrict } from '../districts/district.service';

export interface ServiceListing {
  nodes: ServiceOffering[];
  offset: number;
  hasNextPage: boolean;
  totalCount: number;
}

class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const USES_30D = `(SELECT coalesce(sum(a.count), 0) FROM service_activity_daily a
   WHERE a.service_id = s.id AND a.kind = 'USE' AND a.day > ${cityDay('now()')} - 30)`;
const VIEWS_30D = USES_30D.replace("a.kind = 'USE'", "a.kind = 'VIEW'");

async function resolveCategoryId(ctx: Context, code: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(ctx.db, 'SELECT id FROM category WHERE code = $1', [code]);
  if (!row) throw new NotFoundError('Category', code, 'filter.categoryCode');
  return row.id;
}

const EVERY_COLUMN: ServiceColumns = { sql: SERVICE_COLUMNS, complete: true };

/**
 * The catalogue with its filters and orderings; `offset` rows are skipped. `columns` (every
 * column by default) are those the caller's selection reads; the services are partial when
 * they are not complete.
 */
export async function listServices(
  ctx: Context,
  args: {
    filter?: ServiceFilter | null;
    orderBy: ServiceOrder;
    offset: number;
    limit: number;
    columns?: ServiceColumns;
    /** Read each service's counters in the same statement (for `stats`). */
    withCounters?: boolean;
  },
): Promise<ServiceListing> {
  const filter = args.filter ?? {};
  const params = new SqlParams();
  const where: string[] = [];

  const status = filter.status ?? ServiceStatus.PUBLISHED;
  if (status === ServiceStatus.RETIRED && !isStaff(ctx)) {
    throw new ForbiddenError('Retired services are visible to staff only');
  }
  where.push(`s.status = ${params.add(status)}`);

  let rankExpression: string | null = null;
  if (filter.search != null && filter.search.trim() !== '') {
    const tsQuery = toTsQuery(queryTokens(filter.search));
    if (tsQuery === null) return { nodes: [], offset: args.offset, hasNextPage: false, totalCount: 0 };
    const q = `to_tsquery('simple', ${params.add(tsQuery)})`;
    where.push(`s.search_vector @@ ${q}`);
    rankExpression = `ts_rank_cd(s.search_vector, ${q})`;
  }
  if (filter.categoryCode) {
    const categoryId = params.add(await resolveCategoryId(ctx, filter.categoryCode));
    where.push(
      `(s.category_id = ${categoryId} OR s.category_id IN (SELECT id FROM category WHERE parent_id = ${categoryId}))`,
    );
  }
  if (filter.districtCode) {
    await requireDistrict(ctx, filter.districtCode, 'filter.districtCode');
    where.push(`(s.district_codes = '{}' OR ${params.add(filter.districtCode)} = ANY(s.district_codes))`);
  }
  if (filter.departmentId) {
    if (!(await ctx.loaders.department.load(filter.departmentId))) {
      throw new NotFoundError('Department', filter.departmentId, 'filter.departmentId');
    }
    const departmentId = params.add(filter.departmentId);
    where.push(`(s.department_id = ${departmentId} OR EXISTS (SELECT 1 FROM service_co_department c
      WHERE c.service_id = s.id AND c.department_id = ${departmentId}))`);
  }
  if (filter.tags && filter.tags.length > 0) {
    where.push(`s.tags @> ${params.add(filter.tags)}::text[]`);
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
  const columns = args.columns ?? EVERY_COLUMN;
  const pageSql = pageStatement(
    columns.sql,
    whereSql,
    orderings[args.orderBy],
    params.add(args.limit + 1),
    params.add(args.offset),
    args.withCounters ?? false,
  );
  const rows = await queryPrepared<PageRow>(ctx.db, pageSql, params.values);
  let totalCount = rows[0]?.totalCount;
  if (totalCount === undefined) {
    // A page past the end: no row to carry the total.
    const [{ count }] = await queryRows<{ count: number }>(
      ctx.db,
      `SELECT count(*)::int AS count FROM service s WHERE ${whereSql}`,
      params.values.slice(0, -2),
    );
    totalCount = count;
  }
  const nodes = pageNodes(ctx, rows, args.limit, columns.complete);
  return { nodes, offset: args.offset, hasNextPage: rows.length > args.limit, totalCount };
}

type PageRow = Record<string, unknown> & { totalCount?: number; counters?: number[]; position?: string };

/** The services of the first `first` rows; whole ones and counters primed into the request's loaders. */
function pageNodes(ctx: Context, rows: PageRow[], first: number, complete: boolean): ServiceOffering[] {
  const nodes: ServiceOffering[] = [];
  for (let index = 0; index < rows.length && index < first; index += 1) {
    const row = rows[index];
    const counters = row.counters;
    row.totalCount = undefined;
    row.counters = undefined;
    row.position = undefined;
    const node = serviceFromRow(row);
    // Only whole services may answer other reads of the same request.
    if (complete) ctx.loaders.service.prime(node.id, node);
    if (counters) ctx.loaders.serviceCounters.prime(node.id, countersFromArray(counters));
    nodes.push(node);
  }
  return nodes;
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

/** A service as the caller may see it: retired ones only for staff. */
export async function findVisibleService(ctx: Context, id: string): Promise<ServiceOffering | null> {
  const service = await ctx.loaders.service.load(id);
  if (!service) return null;
  if (service.status === ServiceStatus.RETIRED && !isStaff(ctx)) return null;
  return service;
}

/** A published service, or NOT_FOUND naming `field`. */
export async function requirePublishedService(ctx: Context, id: string, field = 'serviceId'): Promise<ServiceOffering> {
  const service = await ctx.loaders.service.load(id);
  if (!service || service.status !== ServiceStatus.PUBLISHED) throw new NotFoundError('Service', id, field);
  return service;
}
