import type { EntityManager } from 'typeorm';
import { wgs84ToGcj02, type LatLong } from '../../geo/geometry';
import { isOpenAt, nearestFirst, WEEKDAYS, type ServicePoint, type Weekday } from '../../geo/service-points';
import type { ServicePointKind } from '../guides/guide.types';
import type { ServicePointView } from './service-point.types';
import { servicePointsWhere, type PointRow } from './service-points.queries';

export function pointFromRow(row: PointRow): ServicePoint {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind as ServicePoint['kind'],
    districtCode: row.districtCode,
    townshipCode: row.townshipCode,
    address: row.address,
    location: { lat: Number(row.lat), long: Number(row.long) },
    hours: typeof row.hours === 'string' ? (JSON.parse(row.hours) as Record<Weekday, string[]>) : row.hours,
    closedOnHolidays: row.closedOnHolidays,
    phone: row.phone,
    departments: [],
    services: [],
  };
}

export function toView(point: ServicePoint, instant: Date, distanceMetres: number | null = null): ServicePointView {
  return {
    code: point.code,
    name: point.name,
    kind: point.kind as ServicePointKind,
    districtCode: point.districtCode,
    townshipCode: point.townshipCode,
    address: point.address,
    location: point.location,
    hours: WEEKDAYS.map((weekday) => ({ weekday, spans: point.hours[weekday] })),
    closedOnHolidays: point.closedOnHolidays,
    phone: point.phone,
    distanceMeters: distanceMetres === null ? null : Math.round(distanceMetres),
    open: isOpenAt(point, instant),
  };
}

export interface PointQuery {
  serviceId?: string | null;
  /** WGS-84 (GPS). */
  near?: LatLong | null;
  districtCode?: string | null;
  openAt: Date;
  openOnly: boolean;
  first: number;
}

/** Points for a service and/or district, nearest first from `near` (else by code), with open flags. */
export async function findServicePoints(db: EntityManager, query: PointQuery): Promise<ServicePointView[]> {
  const rows = await servicePointsWhere(db, query.serviceId ?? null, query.districtCode ?? null);
  const points = rows.map(pointFromRow);
  const ordered = query.near
    ? nearestFirst(points, wgs84ToGcj02(query.near)).map((p) => ({ point: p.point, distance: p.distanceMetres }))
    : points.map((point) => ({ point, distance: null as number | null }));
  return ordered
    .map(({ point, distance }) => toView(point, query.openAt, distance))
    .filter((view) => !query.openOnly || view.open)
    .slice(0, query.first);
}
