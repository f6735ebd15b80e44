import { DataLoader, PeekableDataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys, isUuid, groupByKeys } from '../../db/sql';
import { publishedServicesByCodes, serviceCounters, servicesByIds } from './catalogue.queries';
import { ServiceCoDepartment } from './service-co-department.entity';
import { ZERO_COUNTERS, type ServiceCounters } from './service-stats';
import { serviceFromRow } from './service-row';
import { ServiceOffering } from './service.entity';

export function createServiceLoader(db: EntityManager) {
  return new DataLoader<string, ServiceOffering | undefined>(async (ids) => {
    const rows = await servicesByIds(db, ids.filter(isUuid));
    return byKeys(ids, rows.map(serviceFromRow), (s) => s.id);
  });
}

export function countersFromArray([
  upvotes,
  downvotes,
  ratingCount,
  ratingSum,
  uses30d,
  views30d,
]: number[]): ServiceCounters {
  return { upvotes, downvotes, ratingCount, ratingSum, uses30d, views30d };
}

/**
 * Vote and rating counters with use and view counts of the last 30 city days, in one
 * statement; a page that read them with its services primes them (`peek` answers those).
 */
export function createServiceCountersLoader(db: EntityManager) {
  return new PeekableDataLoader<string, ServiceCounters>(async (ids) => {
    const rows = await serviceCounters(db, ids);
    return byKeys(ids, rows, (r) => r.id).map((r) => r ?? ZERO_COUNTERS);
  });
}

/** Co-providing department ids of each service. */
export function createCoDepartmentIdsLoader(db: EntityManager) {
  return new DataLoader<string, string[]>(async (serviceIds) => {
    const rows = await db.find(ServiceCoDepartment, {
      where: { serviceId: In([...serviceIds]) },
      order: { departmentId: 'ASC' },
    });
    return groupByKeys(serviceIds, rows, (r) => r.serviceId).map((group) => group.map((r) => r.departmentId));
  });
}

/** Published services by catalogue code (undefined for a code that is retired, a draft or unknown). */
export function createPublishedServiceByCodeLoader(db: EntityManager) {
  return new DataLoader<string, ServiceOffering | undefined>(async (codes) => {
    const rows = await publishedServicesByCodes(db, codes);
    return byKeys(codes, rows.map(serviceFromRow), (s) => s.code);
  });
}
