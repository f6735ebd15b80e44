import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { departmentServicesWindow, departmentServiceTotals } from './catalogue.queries';
import { serviceFromRow } from './service-row';
import type { ServiceOffering } from './service.entity';

export interface DepartmentServicesKey {
  departmentId: string;
  offset: number;
  limit: number;
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
        const window = `${key.limit}:${key.offset}`;
        windows.set(window, [...(windows.get(window) ?? []), key]);
      }
      const pages = new Map<string, DepartmentServicesPage>();
      for (const group of windows.values()) {
        const { limit, offset } = group[0];
        const departmentIds = group.map((k) => k.departmentId);
        const rows = await departmentServicesWindow(db, departmentIds, offset, limit);
        const totals = new Map(
          (await departmentServiceTotals(db, departmentIds)).map((r) => [r.departmentId, r.total]),
        );
        for (const key of group) {
          const own = rows.filter((r) => r.departmentId === key.departmentId);
          pages.set(cacheKey(key), {
            nodes: own.slice(0, limit).map(({ rn: _rn, ...row }) => serviceFromRow(row)),
            hasNextPage: own.length > limit,
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
  return `${key.departmentId}:${key.limit}:${key.offset}`;
}
