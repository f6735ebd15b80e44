import { redactPersonalData } from '../../text/redact';
import { SignalKind } from '../signals/signal-kind';
import { caseStatusFields, type CaseStatusRow } from '../requests/open311-status';

/** The GeoReport v2 specification this facade follows. */
export const SPECIFICATION_URL = 'http://wiki.open311.org/GeoReport_v2';
/** When this endpoint's behaviour last changed (discovery `changeset`). */
export const ENDPOINT_CHANGESET = '2026-12-05T00:00:00+08:00';
/** GET requests.json: the longest window, and the most requests in one answer (the spec's). */
export const MAX_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 86_400_000;
/** The city's offset from UTC (Asia/Shanghai has no daylight saving). */
const CITY_OFFSET_MS = 8 * 3_600_000;

/** A refusal as the spec words it: HTTP status and one description, sent as [{ code, description }]. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 429 | 500 | 503,
    readonly description: string,
  ) {
    super(description);
  }

  toBody(): { code: number; description: string }[] {
    return [{ code: this.status, description: this.description }];
  }
}

/** W3C datetime in city time, e.g. 2026-11-29T16:05:09+08:00 (the spec's format). */
export function formatDatetime(at: Date): string {
  return `${new Date(at.getTime() + CITY_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A W3C datetime (a subset of ISO 8601): a date (midnight in city time) or a date and time
 * with its zone (Z or ±hh:mm). Anything else, or a day that does not exist, is refused.
 */
export function parseDatetime(raw: string, field: string): Date {
  const refuse = () =>
    new Open311Error(400, `${field} must be a W3C datetime such as 2026-11-05T08:15:30+08:00, got "${raw}"`);
  const match = W3C_DATETIME.exec(raw);
  if (!match) throw refuse();
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = '+08:00'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  )
    throw refuse();
  let offsetMs = 0;
  if (zone !== 'Z') {
    const [zh, zm] = zone.slice(1).split(':').map(Number);
    if (zh > 14 || zm > 59) throw refuse();
    offsetMs = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  return new Date(utc - offsetMs + Math.floor(Number(`0${fraction || '.0'}`) * 1000));
}

/**
 * The window of GET requests.json: the last 90 days by default; a start alone reaches 90
 * days forward, an end alone 90 days back; both may not span more than 90 days. Inclusive.
 */
export function requestWindow(
  startRaw: string | undefined,
  endRaw: string | undefined,
  now: Date,
): { from: Date; to: Date } {
  const start = startRaw === undefined ? undefined : parseDatetime(startRaw, 'start_date');
  const end = endRaw === undefined ? undefined : parseDatetime(endRaw, 'end_date');
  const span = MAX_WINDOW_DAYS * DAY_MS;
  if (start && end) {
    if (end < start) throw new Open311Error(400, 'end_date must not be before start_date');
    if (end.getTime() - start.getTime() > span)
      throw new Open311Error(400, `start_date and end_date may not span more than ${MAX_WINDOW_DAYS} days`);
    return { from: start, to: end };
  }
  if (start) return { from: start, to: new Date(start.getTime() + span) };
  const to = end ?? now;
  return { from: new Date(to.getTime() - span), to };
}

/** A published service as services.json lists it. */
export interface ServiceRow {
  code: string;
  title: string;
  summary: string;
  tags: string[];
  categoryName: string;
}

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** Every service has attributes (kind and district), so metadata is always true. */
export function toOpen311Service(row: ServiceRow): Open311Service {
  return {
    service_code: row.code,
    service_name: row.title,
    description: row.summary,
    metadata: true,
    type: 'realtime',
    keywords: row.tags.join(','),
    group: row.categoryName,
  };
}

export interface EligibilityRow {
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  /** Names of the districts the service is limited to (none: the whole city). */
  districtNames: string[];
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

/** The attribute codes a POST may carry (attribute[kind], attribute[district]). */
export const KIND_ATTRIBUTE = 'kind';
export const DISTRICT_ATTRIBUTE = 'district';
export const ELIGIBILITY_ATTRIBUTE = 'eligibility';

/** Who may use the service, in words; null when everyone may. */
export function eligibilityText(rules: EligibilityRow): string | null {
  const parts: string[] = [];
  if (rules.minAge !== null && rules.maxAge !== null) parts.push(`年龄 ${rules.minAge}–${rules.maxAge} 岁`);
  else if (rules.minAge !== null) parts.push(`年满 ${rules.minAge} 岁`);
  else if (rules.maxAge !== null) parts.push(`${rules.maxAge} 岁及以下`);
  if (rules.requiredTags.length > 0) parts.push(`须为：${rules.requiredTags.join('、')}`);
  if (rules.districtNames.length > 0) parts.push(`限于：${rules.districtNames.join('、')}`);
  return parts.length > 0 ? `适用条件：${parts.join('；')}` : null;
}

/**
 * The service definition: what kind of request it is (a need, the default, or a complaint
 * about the service), the district it concerns (required: every demand signal has one) and,
 * when the service has rules, who may use it (information only: variable false).
 */
export function toServiceDefinition(
  code: string,
  rules: EligibilityRow,
  districts: { code: string; name: string }[],
): { service_code: string; attributes: Open311Attribute[] } {
  const eligibility = eligibilityText(rules);
  const attributes: Omit<Open311Attribute, 'order'>[] = [
    ...(eligibility
      ? [
          {
            variable: false,
            code: ELIGIBILITY_ATTRIBUTE,
            datatype: 'text' as const,
            required: false,
            datatype_description: null,
            description: eligibility,
          },
        ]
      : []),
    {
      variable: true,
      code: KIND_ATTRIBUTE,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: 'REQUEST (the default) or COMPLAINT',
      description: '诉求类型：需要这项服务，或投诉这项服务',
      values: [
        { key: SignalKind.REQUEST, name: '需求：办理或咨询这项服务' },
        { key: SignalKind.COMPLAINT, name: '投诉：对这项服务不满意' },
      ],
    },
    {
      variable: true,
      code: DISTRICT_ATTRIBUTE,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: 'the district code, e.g. 520103; when not sent, found from lat and long (WGS84)',
      description: '诉求所在区县',
      values: districts.map((d) => ({ key: d.code, name: d.name })),
    },
  ];
  return { service_code: code, attributes: attributes.map((attribute, index) => ({ ...attribute, order: index + 1 })) };
}

/** What the outcome of a request means for the person who filed it. */
export interface RequestOutcomeRow {
  kind: SignalKind;
  unmet: boolean | null;
  departmentName: string;
  matchedServiceCode: string | null;
  matchedServiceTitle: string | null;
}

/**
 * A REQUEST is closed when a published service met it (the answer is that service) and open
 * while unmet (it waits in unmet demand for the catalogue's planners). A COMPLAINT stays open:
 * it is filed with the service's department, and nothing here closes it.
 */
export function requestStatus(row: Pick<RequestOutcomeRow, 'kind' | 'unmet'>): 'open' | 'closed' {
  return row.kind === SignalKind.REQUEST && row.unmet === false ? 'closed' : 'open';
}

export function serviceNotice(row: RequestOutcomeRow): string {
  if (row.kind === SignalKind.COMPLAINT) return `投诉已记录，由${row.departmentName}查看`;
  if (row.unmet === false && row.matchedServiceCode)
    return `可办理：${row.matchedServiceTitle}（服务代码 ${row.matchedServiceCode}）`;
  return '暂无完全对应的服务，您的需求已记录，供规划新服务参考';
}

export function statusNotes(row: RequestOutcomeRow): string {
  if (row.kind === SignalKind.COMPLAINT) return `投诉，已转${row.departmentName}`;
  if (row.unmet === false && row.matchedServiceCode) return `已由服务 ${row.matchedServiceCode} 满足`;
  return '未满足的需求，待规划';
}

/** A stored Open311 request with what GET requests.json shows of it. */
export interface RequestRow extends RequestOutcomeRow {
  id: string;
  serviceCode: string;
  serviceTitle: string;
  description: string | null;
  requestedAt: Date;
  lat: number | null;
  long: number | null;
  addressString: string | null;
  addressId: string | null;
  mediaUrl: string | null;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/**
 * Status, notes, agency and times come from the request's case when it has one (src/modules/requests).
 * The feed is public: the poster's description and address are shown with their personal
 * data redacted (src/text/redact.ts).
 */
export function toOpen311Request(row: RequestRow & Partial<CaseStatusRow>): Open311Request {
  const requested = formatDatetime(row.requestedAt);
  const workflow = caseStatusFields(row, requested, formatDatetime);
  return {
    service_request_id: row.id,
    status: workflow?.status ?? requestStatus(row),
    status_notes: workflow?.statusNotes ?? statusNotes(row),
    service_name: row.serviceTitle,
    service_code: row.serviceCode,
    description: row.description === null ? null : redactPersonalData(row.description),
    agency_responsible: workflow?.agencyResponsible ?? row.departmentName,
    service_notice: serviceNotice(row),
    requested_datetime: requested,
    updated_datetime: workflow?.updatedDatetime ?? requested,
    expected_datetime: workflow?.expectedDatetime ?? null,
    address: row.addressString === null ? null : redactPersonalData(row.addressString),
    address_id: row.addressId,
    zipcode: null,
    lat: row.lat,
    long: row.long,
    media_url: row.mediaUrl,
  };
}
