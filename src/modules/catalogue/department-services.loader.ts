import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { SERVICE_COLUMNS, serviceFromRow } from './service-row';
import type { ServiceOffering } from './service.entity';

export interface DepartmentServicesKey {
  departmentId: string;
  first: number;
  offset: number;
}

export interface DepartmentServicesPage {
  nodes: ServiceOffering[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * A page of the published services each department leads, by title. Keys that share a page
 * window are loaded in one statement with a window function over all their departments.
 */
export function createDepartmentServicesLoader(db: EntityManager) {
  return new DataLoader<DepartmentServicesKey, DepartmentServicesPage, string>(
    async (keys) => {
      const windows = new Map<string, DepartmentServicesKey[]>();
      for (const key of keys) {
        const window = `${key.first}:${key.offset}`;
        windows.set(window, [...(windows.get(window) ?? []), key]);
      }
      const pages = new Map<string, DepartmentServicesPage>();
      for (const group of windows.values()) {
        const { first, offset } = group[0];
        const departmentIds = group.map((k) => k.departmentId);
        const rows = await queryRows<Record<string, unknown> & { rn: number }>(
          db,
          `SELECT * FROM (
             SELECT ${SERVICE_COLUMNS},
                    row_number() OVER (PARTITION BY s.department_id ORDER BY s.title, s.id)::int AS rn
               FROM service s
              WHERE s.department_id = ANY($1::uuid[]) AND s.status = 'PUBLISHED'
           ) ranked
           WHERE rn > $2 AND rn <= $2 + $3 + 1
           ORDER BY "departmentId", rn`,
          [departmentIds, offset, first],
        );
        const totals = new Map(
          (
            await queryRows<{ departmentId: string; total: number }>(
              db,
              `SELECT department_id AS "departmentId", count(*)::int AS total FROM service
                WHERE department_id = ANY($1::uuid[]) AND status = 'PUBLISHED' GROUP BY department_id`,
              [departmentIds],
            )
          ).map((r) => [r.departmentId, r.total]),
        );
        for (const key of group) {
          const own = rows.filter((r) => r.departmentId === key.departmentId);
          pages.set(cacheKey(key), {
            nodes: own.slice(0, first).map(({ rn: _rn, ...row }) => serviceFromRow(row)),
            hasNextPage: own.length > first,
            totalCount: totals.get(key.departmentId) ?? 0,
          });
        }
      }
      return keys.map((key) => pages.get(cacheKey(key))!);
    },
    { cacheKeyFn: cacheKey },
  );
}

function cacheKey(key: DepartmentServicesKey): string {
  return `${key.departmentId}:${key.first}:${key.offset}`;
}
