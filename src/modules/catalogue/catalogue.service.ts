import { cityDay, queryPrepared, queryRows } from '../../db/sql';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import { isStaff, type Context } from '../../core/context';
import { checkPageSize } from '../../core/pagination';
import { queryTokens, toTsQuery } from '../../text';
import { ServiceOrder, ServiceStatus } from './catalogue.enums';
import type { ServiceFilter } from './catalogue.inputs';
import { SERVICE_COLUMNS, serviceFromRow } from './service-row';
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

/** The catalogue with its filters and orderings; `offset` rows are skipped. */
export async function listServices(
  ctx: Context,
  args: { filter?: ServiceFilter | null; orderBy: ServiceOrder; first: number; offset: number },
): Promise<ServiceListing> {
  checkPageSize(args.first);
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
    where.push(`(s.category_id = ${categoryId} OR s.category_id IN (SELECT id FROM category WHERE parent_id = ${categoryId}))`);
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
  const limit = params.add(args.first + 1);
  const offset = params.add(args.offset);
  // One statement: the page and the total (an uncorrelated subquery: run once).
  const rows = await queryPrepared<Record<string, unknown> & { totalCount: number }>(
    ctx.db,
    `SELECT ${SERVICE_COLUMNS}, (SELECT count(*)::int FROM service s WHERE ${whereSql}) AS "totalCount"
       FROM service s LEFT JOIN service_stats st ON st.service_id = s.id
      WHERE ${whereSql}
      ORDER BY ${orderings[args.orderBy]}, s.id
      LIMIT ${limit} OFFSET ${offset}`,
    params.values,
  );
  let totalCount = rows[0]?.totalCount;
  if (totalCount === undefined) {
    // A page past the end: no row to carry the total.
    const [{ count }] = await queryRows<{ count: number }>(ctx.db, `SELECT count(*)::int AS count FROM service s WHERE ${whereSql}`, params.values.slice(0, -2));
    totalCount = count;
  }
  const nodes = rows.slice(0, args.first).map(({ totalCount: _totalCount, ...columns }) => {
    const node = serviceFromRow(columns);
    ctx.loaders.service.prime(node.id, node);
    return node;
  });
  return { nodes, offset: args.offset, hasNextPage: rows.length > args.first, totalCount };
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
