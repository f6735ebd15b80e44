import { randomUUID } from 'node:crypto';
import { stableId } from '../../db/stable-id';
import { Role } from '../../core/auth';
import { inTransaction, type Context } from '../../core/context';
import { textFault } from '../../core/input-checks';
import { recordAudit } from '../audit/audit.service';
import { catalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from '../matching/catalogue-index';
import { signalVerdict } from '../matching/request-understanding';
import { SignalKind } from '../signals/signal-kind';
import { insertSignals } from '../signals/signals.service';
import { parsePostedRequest, type FormBody, type PostedRequest } from './open311.form';
import {
  MAX_REQUESTS,
  Open311Error,
  requestWindow,
  serviceNotice,
  toOpen311Request,
  toOpen311Service,
  toServiceDefinition,
  type Open311Request,
  type Open311Service,
} from './open311.mapping';
import {
  citizenBirthYear,
  insertOpen311Request,
  insertPosterCitizen,
  open311RequestsByIds,
  open311RequestsIn,
  orderedDistricts,
  publishedServiceEligibility,
  publishedServices,
  publishedServiceToFile,
  serviceCodeAndTitle,
  type RequestWindow,
  type ServiceToFile,
} from './open311.queries';

/** services.json: every published service, in code order. */
export async function listServices(ctx: Context): Promise<Open311Service[]> {
  const rows = await publishedServices(ctx.db);
  return rows.map(toOpen311Service);
}

async function districts(ctx: Context): Promise<{ code: string; name: string }[]> {
  return orderedDistricts(ctx.db);
}

/**
 * A service code sent in a path or a filter, checked as a posted field is (textFault): PostgreSQL's
 * text cannot hold a NUL character, so a code with one was sent to the database as it was and
 * failed there (a 500, anonymous).
 */
function refuseFaultyText(name: string, value: string): void {
  const fault = textFault(value);
  if (fault) throw new Open311Error(400, `${name} ${fault.message}`);
}

/** services/{code}.json: the attributes a request for a published service carries. */
export async function serviceDefinition(ctx: Context, code: string): Promise<ReturnType<typeof toServiceDefinition>> {
  refuseFaultyText('service_code', code);
  const service = await publishedServiceEligibility(ctx.db, code);
  if (!service) throw new Open311Error(404, `service_code "${code}" not found`);
  return toServiceDefinition(service.code, service, await districts(ctx));
}

/**
 * The citizen a request is filed under. Open311 posters have no profile here: a client's
 * account_id (else device_id) stands for one pseudonymous citizen of that client, so repeat
 * posters count once in demand; a poster with neither is a citizen of one request.
 */
function posterCitizenId(client: string, posted: PostedRequest): string {
  if (posted.accountId) return stableId(`open311:${client}:account:${posted.accountId}`);
  if (posted.deviceId) return stableId(`open311:${client}:device:${posted.deviceId}`);
  return randomUUID();
}

/** The published service a posted request names (404 otherwise), with what filing it needs. */
async function postedService(ctx: Context, code: string): Promise<ServiceToFile> {
  const service = await publishedServiceToFile(ctx.db, code);
  if (!service) throw new Open311Error(404, `service_code "${code}" not found`);
  return service;
}

/** What a posted request was understood as: its best match, unmet, its need (all null for a complaint). */
interface Understood {
  match: { serviceId: string; score: number; code: string; title: string } | null;
  unmet: boolean | null;
  needCode: string | null;
}

/** A REQUEST understood as submitRequest understands one: needs blended with the matcher. */
async function understandPosted(ctx: Context, posted: PostedRequest): Promise<Understood> {
  if (posted.kind !== SignalKind.REQUEST) return { match: null, unmet: null, needCode: null };
  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const understanding = catalogueIndexOf(snapshot).understander().understand(posted.description, {
    districtCode: posted.districtCode,
    limit: 1,
  });
  const verdict = signalVerdict(understanding);
  const best = understanding.matches[0] ? { serviceId: verdict.matchedServiceId!, score: verdict.matchScore! } : null;
  let match: Understood['match'] = null;
  if (best) {
    const matched = (await serviceCodeAndTitle(ctx.db, best.serviceId))!;
    match = { serviceId: best.serviceId, score: best.score, code: matched.code, title: matched.title };
  }
  return { match, unmet: verdict.unmet, needCode: verdict.needCode };
}

/**
 * Stores a posted request in one transaction: its poster (a citizen of the client, created on
 * first use), the signal, its Open311 fields and an audit event. The signal's id.
 */
async function storePostedRequest(
  poster: Context & { user: NonNullable<Context['user']> },
  filed: { client: string; posted: PostedRequest; serviceId: string; categoryId: string; understood: Understood },
): Promise<string> {
  const { client, posted, understood } = filed;
  const citizenId = poster.user.id;
  const { match, unmet } = understood;
  return inTransaction(poster, async (tx) => {
    const newCitizen = await insertPosterCitizen(tx.db, citizenId, posted.districtCode);
    const birthYear = await citizenBirthYear(tx.db, citizenId);
    const now = new Date();
    const { ids } = await insertSignals(tx.db, [
      {
        citizenId,
        kind: posted.kind,
        serviceId: filed.serviceId,
        categoryId: filed.categoryId,
        districtCode: posted.districtCode,
        birthYear,
        text: posted.description,
        rating: null,
        occurredAt: now,
        clientEventId: null,
        matchedServiceId: match?.serviceId ?? null,
        matchScore: match?.score ?? null,
        unmet,
        needCode: understood.needCode,
      },
    ]);
    await insertOpen311Request(tx.db, {
      signalId: ids[0],
      client,
      requestedAt: now,
      lat: posted.lat,
      long: posted.long,
      addressString: posted.addressString,
      addressId: posted.addressId,
      mediaUrl: posted.mediaUrl,
    });
    await recordAudit(tx, {
      action: 'open311.request.file',
      targetType: 'signal',
      targetId: ids[0],
      details: {
        client,
        serviceCode: posted.serviceCode,
        kind: posted.kind,
        districtCode: posted.districtCode,
        newCitizen,
        unmet,
        matchedServiceId: match?.serviceId ?? null,
        matchScore: match?.score ?? null,
      },
    });
    return ids[0];
  });
}

/**
 * POST requests.json: stores the request as a REQUEST signal (matched against the published
 * catalogue like submitRequest: best match, score, unmet) or a COMPLAINT signal about the
 * service, with its Open311 fields and an audit event, in one transaction.
 */
export async function fileRequest(
  ctx: Context,
  client: string,
  body: FormBody,
): Promise<[{ service_request_id: string; service_notice: string; account_id: string | null }]> {
  const knownDistricts = new Set((await districts(ctx)).map((d) => d.code));
  const posted = parsePostedRequest(body, knownDistricts);
  const service = await postedService(ctx, posted.serviceCode);
  const understood = await understandPosted(ctx, posted);
  const poster = { ...ctx, user: { id: posterCitizenId(client, posted), role: Role.CITIZEN, departmentId: null } };
  const requestId = await storePostedRequest(poster, {
    client,
    posted,
    serviceId: service.id,
    categoryId: service.categoryId,
    understood,
  });
  const notice = serviceNotice({
    kind: posted.kind,
    unmet: understood.unmet,
    departmentName: service.departmentName,
    matchedServiceCode: understood.match?.code ?? null,
    matchedServiceTitle: understood.match?.title ?? null,
  });
  return [{ service_request_id: requestId, service_notice: notice, account_id: posted.accountId }];
}

const REQUEST_ID = /^\d{1,18}$/;

export type RequestQuery = Record<string, unknown>;

/** A query parameter the spec lets repeat or comma-delimit, as its list of values. */
function listParam(query: RequestQuery, name: string): string[] | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).map(String).flatMap((v) => v.split(','));
  const values = parts.map((v) => v.trim()).filter((v) => v !== '');
  if (values.length === 0) throw new Open311Error(400, `${name} is empty`);
  return [...new Set(values)];
}

function singleParam(query: RequestQuery, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new Open311Error(400, `${name} is given more than once`);
  return raw.trim();
}

/**
 * GET requests.json: requests filed through Open311, newest first, at most 1000. With
 * service_request_id the other filters are ignored (the spec's rule); otherwise the window
 * of requestWindow, narrowed by service_code and status.
 */
export async function findRequests(ctx: Context, query: RequestQuery, now = new Date()): Promise<Open311Request[]> {
  const ids = listParam(query, 'service_request_id');
  if (ids) {
    const bad = ids.find((id) => !REQUEST_ID.test(id));
    if (bad !== undefined) throw new Open311Error(400, `service_request_id "${bad}" is not a request id`);
    if (ids.length > MAX_REQUESTS) throw new Open311Error(400, `at most ${MAX_REQUESTS} service_request_id values`);
    const rows = await open311RequestsByIds(ctx.db, ids);
    return rows.map(toOpen311Request);
  }

  const { from, to } = requestWindow(singleParam(query, 'start_date'), singleParam(query, 'end_date'), now);
  const window: RequestWindow = { from, to };
  const codes = listParam(query, 'service_code');
  for (const code of codes ?? []) refuseFaultyText('service_code', code);
  if (codes) window.serviceCodes = codes;
  const statuses = listParam(query, 'status');
  if (statuses) {
    const bad = statuses.find((s) => s !== 'open' && s !== 'closed');
    if (bad !== undefined) throw new Open311Error(400, `status must be open or closed (comma-delimited), got "${bad}"`);
    if (statuses.length === 1) window.closed = statuses[0] === 'closed';
  }
  const rows = await open311RequestsIn(ctx.db, window);
  return rows.map(toOpen311Request);
}

/** requests/{id}.json: the one request, as an array of one (the spec's shape). */
export async function findRequest(ctx: Context, id: string): Promise<Open311Request[]> {
  const found = REQUEST_ID.test(id) ? await findRequests(ctx, { service_request_id: id }) : [];
  if (found.length === 0) throw new Open311Error(404, `service_request_id "${id}" not found`);
  return found;
}
