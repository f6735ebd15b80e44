import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../../db/sql';
import { wgs84ToGcj02, type LatLong } from '../../geo/geometry';
import { isOpenAt, nearestFirst, WEEKDAYS, type ServicePoint, type Weekday } from '../../geo/service-points';
import type { ServicePointKind } from '../guides/guide.types';
import type { ServicePointView } from './service-point.types';

const POINT_COLUMNS = `p.code, p.name, p.kind, p.district_code AS "districtCode", p.township_code AS "townshipCode",
  p.address, p.lat, p.long, p.hours, p.closed_on_holidays AS "closedOnHolidays", p.phone`;

interface PointRow {
  code: string;
  name: string;
  kind: string;
  districtCode: string;
  townshipCode: string | null;
  address: string;
  lat: number;
  long: number;
  hours: Record<Weekday, string[]> | string;
  closedOnHolidays: boolean;
  phone: string;
}

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
  const rows = await queryPrepared<PointRow>(
    db,
    `SELECT ${POINT_COLUMNS} FROM service_point p
      WHERE ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM service_point_service l
                                          WHERE l.point_code = p.code AND l.service_id = $1::uuid))
        AND ($2::text IS NULL OR p.district_code = $2::text)
      ORDER BY p.code`,
    [query.serviceId ?? null, query.districtCode ?? null],
  );
  const points = rows.map(pointFromRow);
  const ordered = query.near
    ? nearestFirst(points, wgs84ToGcj02(query.near)).map((p) => ({ point: p.point, distance: p.distanceMetres }))
    : points.map((point) => ({ point, distance: null as number | null }));
  return ordered
    .map(({ point, distance }) => toView(point, query.openAt, distance))
    .filter((view) => !query.openOnly || view.open)
    .slice(0, query.first);
}

/** Points of each service, by code, in one statement. */
export async function pointsOfServices(db: EntityManager, serviceIds: readonly string[]) {
  return queryPrepared<PointRow & { serviceId: string }>(
    db,
    `SELECT l.service_id AS "serviceId", ${POINT_COLUMNS}
       FROM service_point_service l JOIN service_point p ON p.code = l.point_code
      WHERE l.service_id = ANY($1::uuid[]) ORDER BY p.code`,
    [serviceIds],
  );
}
