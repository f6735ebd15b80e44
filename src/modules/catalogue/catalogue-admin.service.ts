import { isUuid } from '../../db/sql';
import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { recordAudit } from '../audit/audit.service';
import { forgetCatalogueSnapshot } from './catalogue-snapshot';
import { ServiceStatus } from './catalogue.enums';
import {
  copyServiceToVersion,
  insertPublishedService,
  insertServiceStats,
  lockService,
  lockServiceHead,
  markServiceRetired,
  replaceCoDepartments,
  updateServiceContent,
  upsertServiceGuide,
  type ServiceContent,
} from './catalogue.queries';
import { serviceFromRow } from './service-row';
import type { ServiceOffering } from './service.entity';
import { ServiceVersion } from './service-version.entity';
import type { GuideData } from '../guides/guide';
import { cataloguePolicy } from './catalogue.policy';
import { isBlankText } from '../../text';

export type { ServiceContent };

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
  const row = await insertPublishedService(tx.db, id, code, content);
  await insertServiceStats(tx.db, id);
  await replaceCoDepartments(tx.db, id, content.coDepartmentIds);
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
  const current = await lockServiceHead(tx.db, serviceId);
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
  await copyServiceToVersion(tx.db, serviceId, proposalId);
  const row = await updateServiceContent(tx.db, serviceId, content);
  await replaceCoDepartments(tx.db, serviceId, content.coDepartmentIds);
  return serviceFromRow(row);
}

/**
 * Sets the guide of a service (the current version's; reviseService keeps the one it replaces
 * in service_version). Run inside the caller's transaction.
 */
export async function writeGuide(tx: Context, serviceId: string, guide: GuideData): Promise<void> {
  await upsertServiceGuide(tx.db, serviceId, JSON.stringify(guide));
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
  if (isBlankText(trimmed)) throw BadInputError.field('reason', 'isNotEmpty', 'reason must not be empty');
  if (reason.length > MAX_TEXT_LENGTH) {
    throw BadInputError.field('reason', 'maxLength', `reason must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  if (!isUuid(id)) throw new NotFoundError('Service', id, 'id');
  const retired = await inTransaction(ctx, async (tx) => {
    const row = await lockService(tx.db, id);
    if (!row) throw new NotFoundError('Service', id, 'id');
    const service = serviceFromRow(row);
    if (user.role === Role.STAFF && service.departmentId !== user.departmentId) {
      throw new ForbiddenError('Only staff of the lead department may retire a service');
    }
    if (service.status === ServiceStatus.RETIRED) {
      throw new ConflictError(`The service is already ${service.status}`, { status: service.status });
    }
    const updated = await markServiceRetired(tx.db, id);
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
    return serviceFromRow(updated!);
  });
  // This process sees the change at once; others within their snapshot's version check.
  forgetCatalogueSnapshot(ctx.dataSource);
  ctx.loaders.service.clear(id).prime(id, retired);
  return retired;
}
