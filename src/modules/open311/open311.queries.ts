import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { CASE_COLUMNS, CASE_FROM } from '../requests/open311-status';
import { MAX_REQUESTS, type EligibilityRow, type RequestRow, type ServiceRow } from './open311.mapping';

/** The SQL of the Open311 facade: the published services it lists and the requests filed through it. */

/** Every published service with its category's name, in code order. */
export async function publishedServices(db: EntityManager): Promise<ServiceRow[]> {
  return queryRows<ServiceRow>(
    db,
    `SELECT s.code, s.title, s.summary, s.tags, c.name AS "categoryName"
       FROM service s JOIN category c ON c.id = s.category_id
      WHERE s.status = 'PUBLISHED' ORDER BY s.code`,
  );
}

/** The city's districts, in their display order. */
export async function orderedDistricts(db: EntityManager): Promise<{ code: string; name: string }[]> {
  return queryRows(db, 'SELECT code, name FROM district ORDER BY sort_order, code');
}

/** A published service's eligibility, with the names of the districts it is limited to (none: no row). */
export async function publishedServiceEligibility(
  db: EntityManager,
  code: string,
): Promise<(EligibilityRow & { code: string }) | undefined> {
  const [service] = await queryRows<EligibilityRow & { code: string }>(
    db,
    `SELECT s.code, s.min_age AS "minAge", s.max_age AS "maxAge", s.required_tags AS "requiredTags",
            coalesce((SELECT array_agg(d.name ORDER BY d.sort_order, d.code) FROM district d WHERE d.code = ANY (s.district_codes)), '{}') AS "districtNames"
       FROM service s WHERE s.code = $1 AND s.status = 'PUBLISHED'`,
    [code],
  );
  return service;
}

/** What filing a request for a published service needs: its id, category and department's name. */
export interface ServiceToFile {
  id: string;
  categoryId: string;
  departmentName: string;
}

/** The published service of a code, as a posted request files it (none: no row). */
export async function publishedServiceToFile(db: EntityManager, code: string): Promise<ServiceToFile | undefined> {
  const [service] = await queryRows<ServiceToFile>(
    db,
    `SELECT s.id, s.category_id AS "categoryId", d.name AS "departmentName"
       FROM service s JOIN department d ON d.id = s.department_id
      WHERE s.code = $1 AND s.status = 'PUBLISHED'`,
    [code],
  );
  return service;
}

/** A service's code and title (none: no row). */
export async function serviceCodeAndTitle(
  db: EntityManager,
  serviceId: string,
): Promise<{ code: string; title: string } | undefined> {
  const [service] = await queryRows<{ code: string; title: string }>(
    db,
    'SELECT code, title FROM service WHERE id = $1',
    [serviceId],
  );
  return service;
}

/** Creates a poster's citizen (no personalisation) unless it exists; whether it was created. */
export async function insertPosterCitizen(
  db: EntityManager,
  citizenId: string,
  districtCode: string,
): Promise<boolean> {
  const created = await queryRows<{ id: string }>(
    db,
    `INSERT INTO citizen (id, district_code, personalization) VALUES ($1, $2, false) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [citizenId, districtCode],
  );
  return created.length === 1;
}

/** A citizen's birth year (null when unknown); the citizen must exist. */
export async function citizenBirthYear(db: EntityManager, citizenId: string): Promise<number | null> {
  const [{ birthYear }] = await queryRows<{ birthYear: number | null }>(
    db,
    'SELECT birth_year AS "birthYear" FROM citizen WHERE id = $1',
    [citizenId],
  );
  return birthYear;
}

/** The Open311 fields of a posted request, stored beside its signal. */
export interface Open311Fields {
  signalId: string;
  client: string;
  requestedAt: Date;
  lat: number | null;
  long: number | null;
  addressString: string | null;
  addressId: string | null;
  mediaUrl: string | null;
}

export async function insertOpen311Request(db: EntityManager, fields: Open311Fields): Promise<void> {
  await db.query(
    `INSERT INTO open311_request (signal_id, signal_received_at, client, requested_at, lat, long, address_string,
                                 address_id, media_url)
     SELECT id, received_at, $2, $3, $4, $5, $6, $7, $8 FROM signal WHERE id = $1`,
    [
      fields.signalId,
      fields.client,
      fields.requestedAt.toISOString(),
      fields.lat,
      fields.long,
      fields.addressString,
      fields.addressId,
      fields.mediaUrl,
    ],
  );
}

const REQUEST_COLUMNS = `s.id::text AS id, s.kind, s.unmet, s.text AS description, o.requested_at AS "requestedAt",
  o.lat, o.long, o.address_string AS "addressString", o.address_id AS "addressId", o.media_url AS "mediaUrl",
  sv.code AS "serviceCode", sv.title AS "serviceTitle", d.name AS "departmentName",
  m.code AS "matchedServiceCode", m.title AS "matchedServiceTitle", ${CASE_COLUMNS}`;
const REQUEST_FROM = `open311_request o
  JOIN signal s ON s.id = o.signal_id AND s.received_at = o.signal_received_at
  JOIN service sv ON sv.id = s.service_id
  JOIN department d ON d.id = sv.department_id
  LEFT JOIN service m ON m.id = s.matched_service_id
  ${CASE_FROM}`;
/** The status of a stored request as SQL (see requestStatus). */
const CLOSED_SQL = `COALESCE(rc.status IN ('RESOLVED', 'CLOSED'), s.kind = 'REQUEST' AND s.unmet IS FALSE)`;

/** The requests of the given ids (decimal signal ids) filed through Open311, newest first. */
export async function open311RequestsByIds(db: EntityManager, ids: string[]): Promise<RequestRow[]> {
  return queryRows<RequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS} FROM ${REQUEST_FROM} WHERE o.signal_id = ANY ($1::bigint[]) ORDER BY o.requested_at DESC, o.signal_id DESC`,
    [ids],
  );
}

/** Which requests a listing reads: filed in [from, to], of the given services, open or closed ones only. */
export interface RequestWindow {
  from: Date;
  to: Date;
  serviceCodes?: string[];
  closed?: boolean;
}

/** The requests filed through Open311 in a window, newest first, at most MAX_REQUESTS. */
export async function open311RequestsIn(db: EntityManager, window: RequestWindow): Promise<RequestRow[]> {
  const params: unknown[] = [window.from.toISOString(), window.to.toISOString()];
  const where = ['o.requested_at >= $1', 'o.requested_at <= $2'];
  if (window.serviceCodes) where.push(`sv.code = ANY ($${params.push(window.serviceCodes)}::text[])`);
  if (window.closed !== undefined) where.push(`${CLOSED_SQL} = $${params.push(window.closed)}`);
  return queryRows<RequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS} FROM ${REQUEST_FROM} WHERE ${where.join(' AND ')}
      ORDER BY o.requested_at DESC, o.signal_id DESC LIMIT ${MAX_REQUESTS}`,
    params,
  );
}
