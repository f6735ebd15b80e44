import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys, isUuid, cityDay, groupByKeys, queryPrepared } from '../../db/sql';
import { ServiceCoDepartment } from './service-co-department.entity';
import { ZERO_COUNTERS, type ServiceCounters } from './service-stats';
import { SERVICE_COLUMNS, serviceFromRow } from './service-row';
import { ServiceOffering } from './service.entity';

export function createServiceLoader(db: EntityManager) {
  return new DataLoader<string, ServiceOffering | undefined>(async (ids) => {
    const rows = await queryPrepared<Record<string, unknown>>(
      db,
      `SELECT ${SERVICE_COLUMNS} FROM service s WHERE s.id = ANY($1::uuid[])`,
      [ids.filter(isUuid)],
    );
    return byKeys(ids, rows.map(serviceFromRow), (s) => s.id);
  });
}

/** Uses and views of the service `s.id` in the last 30 city days, as a lateral subquery `a`. */
const ACTIVITY_30D = `LEFT JOIN LATERAL (
           SELECT sum(count) FILTER (WHERE kind = 'USE') AS uses, sum(count) FILTER (WHERE kind = 'VIEW') AS views
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

/** Vote and rating counters with use and view counts of the last 30 city days, in one statement. */
export function createServiceCountersLoader(db: EntityManager) {
  return new DataLoader<string, ServiceCounters>(async (ids) => {
    const rows = await queryPrepared<{ id: string } & ServiceCounters>(
      db,
      `SELECT s.id,
              coalesce(st.upvotes, 0) AS upvotes, coalesce(st.downvotes, 0) AS downvotes,
              coalesce(st.rating_count, 0) AS "ratingCount", coalesce(st.rating_sum, 0) AS "ratingSum",
              coalesce(a.uses, 0)::int AS "uses30d", coalesce(a.views, 0)::int AS "views30d"
         FROM unnest($1::uuid[]) AS s(id)
         ${COUNTERS_JOINS}`,
      [ids],
    );
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
    const rows = await queryPrepared<Record<string, unknown>>(
      db,
      `SELECT ${SERVICE_COLUMNS} FROM service s WHERE s.code = ANY($1::text[]) AND s.status = 'PUBLISHED'`,
      [codes],
    );
    return byKeys(codes, rows.map(serviceFromRow), (s) => s.code);
  });
}
