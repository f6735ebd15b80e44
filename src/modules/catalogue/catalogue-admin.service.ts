import { queryRows, isUuid } from '../../db/sql';
import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { recordAudit } from '../audit/audit.service';
import { forgetCatalogueSnapshot } from './catalogue-snapshot';
import { ServiceStatus, type Channel } from './catalogue.enums';
import { searchDocument, searchVectorSql } from './search-document';
import { SERVICE_COLUMNS, serviceFromRow } from './service-row';
import type { ServiceOffering } from './service.entity';
import { ServiceVersion } from './service-version.entity';
import type { GuideData } from '../guides/guide';
import { cataloguePolicy } from './catalogue.policy';

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

async function setCoDepartments(tx: Context, serviceId: string, departmentIds: string[]): Promise<void> {
  await tx.db.query('DELETE FROM service_co_department WHERE service_id = $1', [serviceId]);
  if (departmentIds.length > 0) {
    await tx.db.query('INSERT INTO service_co_department (service_id, department_id) SELECT $1, unnest($2::uuid[])', [
      serviceId,
      departmentIds,
    ]);
  }
}

/**
 * Publishes a new service (status PUBLISHED, version 1, published now) with its search
 * vector, counters row and co-departments. Run inside the caller's transaction.
 */
export async function publishService(
  tx: Context,
  id: string,
  code: string,
  content: ServiceContent,
): Promise<ServiceOffering> {
  const params = contentParams(content, 3);
  const [row] = await queryRows<Record<string, unknown>>(
    tx.db,
    `INSERT INTO service AS s (id, code, title, title_en, summary, description, category_id, tags, department_id, channels,
                               min_age, max_age, required_tags, district_codes, search_vector, status, version, published_at)
     VALUES ($1, $2, ${params.sql}, 'PUBLISHED', 1, now())
     RETURNING ${SERVICE_COLUMNS}`,
    [id, code, ...params.values],
  );
  await tx.db.query('INSERT INTO service_stats (service_id) VALUES ($1)', [id]);
  await setCoDepartments(tx, id, content.coDepartmentIds);
  return serviceFromRow(row);
}

/**
 * Publishes a new version of a published service: the current row is copied to
 * service_version (valid until now), then replaced in place, keeping its id, code, votes
 * and ratings, with version + 1. The service row is locked first, so concurrent revisions
 * of one service are applied one after the other. Run inside the caller's transaction.
 */
export async function reviseService(
  tx: Context,
  serviceId: string,
  content: ServiceContent,
  proposalId: string,
): Promise<ServiceOffering> {
  const [current] = await queryRows<{ status: ServiceStatus; departmentId: string; version: number }>(
    tx.db,
    'SELECT status, department_id AS "departmentId", version FROM service WHERE id = $1 FOR UPDATE',
    [serviceId],
  );
  if (!current) throw new NotFoundError('Service', serviceId, 'replacesServiceId');
  if (current.status !== ServiceStatus.PUBLISHED) {
    throw new ConflictError(
      `The service to replace is ${current.status}; only a PUBLISHED service gets a new version`,
      {
        status: current.status,
      },
    );
  }
  if (current.departmentId !== content.departmentId) {
    throw new ForbiddenError('Only the lead department of a service may publish a new version of it');
  }
  await tx.db.query(
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
  const params = contentParams(content, 2);
  const [row] = await queryRows<Record<string, unknown>>(
    tx.db,
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
  await setCoDepartments(tx, serviceId, content.coDepartmentIds);
  return serviceFromRow(row);
}

/**
 * Sets the guide of a service (the current version's; reviseService keeps the one it replaces
 * in service_version). Run inside the caller's transaction.
 */
export async function writeGuide(tx: Context, serviceId: string, guide: GuideData): Promise<void> {
  await tx.db.query(
    `INSERT INTO service_guide (service_id, guide) VALUES ($1, $2::jsonb)
     ON CONFLICT (service_id) DO UPDATE SET guide = excluded.guide`,
    [serviceId, JSON.stringify(guide)],
  );
}

/**
 * Every version of a service, newest first: the current one (valid from when it replaced
 * the one before, or from publication; validTo null) and those it superseded, each with the
 * guide it had (the current one's is read by the guide loader).
 */
export async function serviceVersions(ctx: Context, service: ServiceOffering): Promise<ServiceVersion[]> {
  requireRole(ctx, ...cataloguePolicy.versions);
  const history = await ctx.loaders.serviceVersions.load(service.id);
  const coDepartmentIds = await ctx.loaders.coDepartmentIds.load(service.id);
  const current = Object.assign(new ServiceVersion(), {
    serviceId: service.id,
    version: service.version,
    code: service.code,
    title: service.title,
    titleEn: service.titleEn,
    summary: service.summary,
    description: service.description,
    categoryId: service.categoryId,
    tags: service.tags,
    departmentId: service.departmentId,
    coDepartmentIds,
    channels: service.channels,
    minAge: service.minAge,
    maxAge: service.maxAge,
    requiredTags: service.requiredTags,
    districtCodes: service.districtCodes,
    status: service.status,
    publishedAt: service.publishedAt,
    validFrom: history[0]?.validTo ?? service.publishedAt ?? service.createdAt,
    validTo: null,
    supersededByProposalId: null,
  });
  return [current, ...history];
}

/**
 * Retires a service: STAFF of its lead department, or ADMIN, with a reason. It leaves search,
 * rankings and request matching (they read PUBLISHED services only; updated_at moves, so
 * every process's catalogue snapshot notices) and stays readable by staff.
 */
export async function retireService(ctx: Context, id: string, reason: string): Promise<ServiceOffering> {
  const user = requireRole(ctx, ...cataloguePolicy.retireService);
  if (user.role === Role.STAFF && !user.departmentId) {
    throw new ForbiddenError('A STAFF token needs a dept claim to act for a department');
  }
  const trimmed = reason.trim();
  if (trimmed === '') throw BadInputError.field('reason', 'isNotEmpty', 'reason must not be empty');
  if (reason.length > MAX_TEXT_LENGTH) {
    throw BadInputError.field('reason', 'maxLength', `reason must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  if (!isUuid(id)) throw new NotFoundError('Service', id, 'id');
  const retired = await inTransaction(ctx, async (tx) => {
    const [row] = await queryRows<Record<string, unknown>>(
      tx.db,
      `SELECT ${SERVICE_COLUMNS} FROM service s WHERE s.id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) throw new NotFoundError('Service', id, 'id');
    const service = serviceFromRow(row);
    if (user.role === Role.STAFF && service.departmentId !== user.departmentId) {
      throw new ForbiddenError('Only staff of the lead department may retire a service');
    }
    if (service.status === ServiceStatus.RETIRED) {
      throw new ConflictError(`The service is already ${service.status}`, { status: service.status });
    }
    const [updated] = await queryRows<Record<string, unknown>>(
      tx.db,
      `WITH changed AS (
         UPDATE service AS s SET status = 'RETIRED', retired_at = now(), updated_at = now()
          WHERE s.id = $1 AND s.status = 'PUBLISHED' RETURNING ${SERVICE_COLUMNS}
       ) SELECT * FROM changed`,
      [id],
    );
    await recordAudit(tx, {
      action: 'service.retire',
      targetType: 'service',
      targetId: id,
      details: {
        reason: trimmed,
        code: service.code,
        version: service.version,
        from: service.status,
        to: ServiceStatus.RETIRED,
      },
    });
    return serviceFromRow(updated);
  });
  // This process sees the change at once; others within their snapshot's version check.
  forgetCatalogueSnapshot(ctx.dataSource);
  ctx.loaders.service.clear(id).prime(id, retired);
  return retired;
}
