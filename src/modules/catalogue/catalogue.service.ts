import { ForbiddenError, NotFoundError } from '../../core/errors';
import { isStaff, type Context } from '../../core/context';
import { MAX_SEARCH_TERMS } from '../../core/limits';
import { isBlankText, queryTokens, toTsQuery } from '../../text';
import { ServiceStatus, type ServiceOrder } from './catalogue.enums';
import type { ServiceFilter } from './catalogue.inputs';
import { SERVICE_COLUMNS, serviceFromRow, type ServiceColumns } from './service-row';
import { countersFromArray } from './service.loader';
import { categoryIdByCode, servicePage, type ServicePageRow } from './catalogue.queries';
import type { ServiceOffering } from './service.entity';
import { requireDistrict } from '../districts/districts.service';
import { catalogueSnapshot } from './catalogue-snapshot';
import { searchSpellingOf } from './search-spelling';

export interface ServiceListing {
  nodes: ServiceOffering[];
  offset: number;
  hasNextPage: boolean;
  totalCount: number;
}

async function resolveCategoryId(ctx: Context, code: string): Promise<string> {
  const id = await categoryIdByCode(ctx.db, code);
  if (!id) throw new NotFoundError('Category', code, 'filter.categoryCode');
  return id;
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
  const status = filter.status ?? ServiceStatus.PUBLISHED;
  if (status === ServiceStatus.RETIRED && !isStaff(ctx)) {
    throw new ForbiddenError('Retired services are visible to staff only');
  }
  const search = filter.search != null && !isBlankText(filter.search) ? filter.search : null;
  let tsQuery: string | null = null;
  if (search !== null) {
    tsQuery = searchTsQuery(search);
    if (tsQuery === null) return { nodes: [], offset: args.offset, hasNextPage: false, totalCount: 0 };
  }
  const categoryId = filter.categoryCode ? await resolveCategoryId(ctx, filter.categoryCode) : null;
  if (filter.districtCode) await requireDistrict(ctx, filter.districtCode, 'filter.districtCode');
  if (filter.departmentId && !(await ctx.loaders.department.load(filter.departmentId))) {
    throw new NotFoundError('Department', filter.departmentId, 'filter.departmentId');
  }
  const columns = args.columns ?? EVERY_COLUMN;
  const page = (pageTsQuery: string | null) =>
    servicePage(ctx.db, {
      status,
      tsQuery: pageTsQuery,
      categoryId,
      districtCode: filter.districtCode ?? null,
      departmentId: filter.departmentId ?? null,
      tags: filter.tags ?? null,
      orderBy: args.orderBy,
      offset: args.offset,
      limit: args.limit,
      columnsSql: columns.sql,
      withCounters: args.withCounters ?? false,
    });
  let { rows, totalCount } = await page(tsQuery);
  if (totalCount === 0 && search !== null && status === ServiceStatus.PUBLISHED) {
    const respelledTsQuery = await respelledSearch(ctx, search);
    if (respelledTsQuery !== null && respelledTsQuery !== tsQuery)
      ({ rows, totalCount } = await page(respelledTsQuery));
  }
  const nodes = pageNodes(ctx, rows, args.limit, columns.complete);
  return { nodes, offset: args.offset, hasNextPage: rows.length > args.limit, totalCount };
}

/** Each word is matched and ranked against every service: a long search is its first words. */
function searchTsQuery(search: string): string | null {
  return toTsQuery(queryTokens(search).slice(0, MAX_SEARCH_TERMS));
}

/** The search in the published catalogue's own words (社宝卡 → 社保卡, gongjijin → 公积金), as a tsquery. */
async function respelledSearch(ctx: Context, search: string): Promise<string | null> {
  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const respelled = searchSpellingOf(snapshot).respell(search);
  return respelled === null ? null : searchTsQuery(respelled);
}

/** The services of the first `first` rows; whole ones and counters primed into the request's loaders. */
function pageNodes(ctx: Context, rows: ServicePageRow[], first: number, complete: boolean): ServiceOffering[] {
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
