import { requireRole, inTransaction, type Context } from '../../core/context';
import { BadInputError, NotFoundError } from '../../core/errors';
import { checkPageSize } from '../../core/pagination';
import { Category } from '../categories/category.entity';
import type { ServiceOffering } from '../catalogue/service.entity';
import { requireOwnCitizen } from '../citizens/citizens.service';
import { SignalKind } from '../signals/signal-kind';
import { SignalRow } from '../signals/signal.entity';
import { insertSignals } from '../signals/signals.service';
import { catalogueSnapshot, type CatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from './catalogue-index';
import { seededNeedsModel, type NeedsModel } from '../needs/needs-data';
import { LifeEvent, Need } from '../needs/needs.types';
import { cachedAssociations } from '../needs/learned-associations.service';
import { LEARNED_REASON } from '../needs/learned-associations';
import type { RecognisedNeed } from '../needs/need-recognition';
import { signalVerdict, type UnderstoodMatch, type Understanding } from './request-understanding';
import { shownTerms } from './reasons';
import { MatchReasonKind } from './match-reason';
import type { MatchReason, RecognisedNeed as RecognisedNeedType, RequestOutcome, ServiceMatch } from './matching.types';
import type { RequestInput } from './matching.inputs';
import { recordAudit } from '../audit/audit.service';
import { requireDistrict } from '../districts/districts.service';
import { recordOfferedServices } from '../requests/case-opener';
import { idempotencyKeyOf } from '../idempotency/idempotency-key';
import { runOnce } from '../idempotency/idempotency.service';
import { locateRequest } from '../service-points/locate-request';
import type { LocatedMatch } from '../service-points/service-match-points.resolver';
import { matchingPolicy } from './matching.policy';
import { isBlankText } from '../../text';

/**
 * Below this best lexical score a request counts as unmet where only the lexical matcher is
 * used (Open311 requests, bulk-loaded signals); matchRequest and submitRequest use the request
 * understanding's rule (request-understanding.ts). Calibrated on the labelled request sets
 * in test/eval (`npm run eval:requests`, docs/matching.md): balanced accuracy peaks at 0.21;
 * 0.25 gives up one point of it to flag 87.5% instead of 82.5% of needs the catalogue does
 * not meet, because unmet demand is what planners act on.
 */
export const UNMET_THRESHOLD = 0.25;
export const REQUEST_MATCHES = 5;

function requireText(text: string, field: string): void {
  if (isBlankText(text)) throw BadInputError.field(field, 'isNotEmpty', `${field} must not be empty`);
}

/** A recognised need as the API shows it. */
export function recognisedNeedOf(
  recognised: RecognisedNeed,
  model: NeedsModel,
  published: boolean,
): RecognisedNeedType {
  const { need } = recognised;
  return {
    need: Need.of(need),
    code: need.code,
    name: need.name,
    nameZhHant: need.nameZhHant,
    nameEn: need.nameEn,
    confidence: recognised.confidence,
    phrase: recognised.phrase,
    excerpt: recognised.excerpt,
    lifeEvents: need.lifeEvents.flatMap((code) => {
      const event = model.lifeEvent(code);
      return event ? [LifeEvent.of(event)] : [];
    }),
    met: published,
  };
}

/**
 * The reasons of a free-text match, each weighing its real share of the score: the need it
 * meets, quoting the citizen's words ("您提到'孩子明年上小学'：小学入学报名"), and the words
 * of the request found in the service.
 */
export function reasonsOf(match: UnderstoodMatch): MatchReason[] {
  const reasons: MatchReason[] = [];
  if (match.need && match.needScore > 0) {
    const words = match.need.excerpt || match.need.phrase;
    reasons.push({
      kind: MatchReasonKind.TEXT_MATCH,
      weight: match.needScore / match.score,
      message: `您提到'${words}'：${match.need.need.name}`,
    });
  }
  if (match.lexicalScore > 0 && match.matchedTerms.length > 0) {
    reasons.push({
      kind: MatchReasonKind.TEXT_MATCH,
      weight: match.lexicalScore / match.score,
      message: `匹配您的需求：${shownTerms(match.matchedTerms)}`,
    });
  }
  if (match.learnedScore > 0) {
    reasons.push({
      kind: MatchReasonKind.SIMILAR_CITIZENS,
      weight: match.learnedScore / match.score,
      message: LEARNED_REASON,
    });
  }
  const total = reasons.reduce((sum, r) => sum + r.weight, 0);
  for (const reason of reasons) reason.weight = Math.round((reason.weight / total) * 1e4) / 1e4;
  return reasons;
}

async function toServiceMatches(ctx: Context, understanding: Understanding): Promise<ServiceMatch[]> {
  const { matches } = understanding;
  const model = seededNeedsModel();
  const services = await ctx.loaders.service.loadMany(matches.map((m) => m.serviceId));
  return matches.map((match, index) => ({
    service: services[index] as ServiceOffering,
    score: match.score,
    rank: index + 1,
    reasons: reasonsOf(match),
    need: match.need ? recognisedNeedOf(match.need, model, true) : null,
  }));
}

function needsOf(snapshot: CatalogueSnapshot, understanding: Understanding): RecognisedNeedType[] {
  const model = seededNeedsModel();
  const published = new Set([...snapshot.services.values()].map((s) => s.code));
  return understanding.needs.map((n) =>
    recognisedNeedOf(n, model, model.publishedServices(n.need, published).length > 0),
  );
}

/** Which published services meet a free-text need. Records nothing. */
export async function matchRequest(
  ctx: Context,
  args: { text: string; districtCode?: string | null; first: number },
): Promise<ServiceMatch[]> {
  checkPageSize(args.first);
  requireText(args.text, 'text');
  if (args.districtCode != null) await requireDistrict(ctx, args.districtCode, 'districtCode');
  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const learned = await cachedAssociations(ctx.dataSource, ctx.db);
  const understanding = catalogueIndexOf(snapshot).understander().understand(args.text, {
    districtCode: args.districtCode,
    limit: args.first,
    learned,
  });
  return toServiceMatches(ctx, understanding);
}

/** The id of the category a request names, if it names one. */
async function requestCategoryId(ctx: Context, categoryCode: string | null | undefined): Promise<string | null> {
  if (categoryCode == null) return null;
  const category = await ctx.db.findOneBy(Category, { code: categoryCode });
  if (!category) throw new NotFoundError('Category', categoryCode, 'input.categoryCode');
  return category.id;
}

/** What submitRequest records of a request, once its understanding is known. */
interface RequestRecord {
  input: RequestInput;
  citizen: { id: string; birthYear: number | null };
  categoryId: string | null;
  districtCode: string;
  snapshot: CatalogueSnapshot;
  understanding: Understanding;
}

/** Inserts the REQUEST signal, the services offered and the audit entry; returns the signal's id. */
async function recordRequest(tx: Context, record: RequestRecord): Promise<string> {
  const { input, citizen, categoryId, districtCode, snapshot, understanding } = record;
  const verdict = signalVerdict(understanding);
  const { unmet } = verdict;
  const bestService = verdict.matchedServiceId ? snapshot.services.get(verdict.matchedServiceId) : undefined;
  const inserted = await insertSignals(tx.db, [
    {
      citizenId: citizen.id,
      kind: SignalKind.REQUEST,
      serviceId: null,
      // The citizen's own category, else the met service's: where the demand belongs.
      categoryId: categoryId ?? (!unmet && bestService ? bestService.categoryId : null),
      districtCode,
      birthYear: citizen.birthYear,
      text: input.text,
      rating: null,
      occurredAt: new Date(),
      clientEventId: null,
      matchedServiceId: verdict.matchedServiceId,
      matchScore: verdict.matchScore,
      unmet,
      needCode: verdict.needCode,
    },
  ]);
  const requestId = inserted.ids[0];
  await recordOfferedServices(
    tx.db,
    requestId,
    understanding.matches.map((m) => m.serviceId),
  );
  await recordAudit(tx, {
    action: 'request.submit',
    targetType: 'signal',
    targetId: requestId,
    details: {
      unmet,
      matchedServiceId: verdict.matchedServiceId,
      matchScore: verdict.matchScore,
      needCode: verdict.needCode,
    },
  });
  return requestId;
}

/**
 * Records a citizen's free-text need as a REQUEST signal with its best match, score and
 * recognised need, and answers with the services that meet it and the needs recognised;
 * unmet demand when the understanding finds no service that meets it.
 */
export async function submitRequest(
  ctx: Context,
  input: RequestInput,
  idempotencyKey?: string | null,
): Promise<RequestOutcome> {
  requireRole(ctx, ...matchingPolicy.submitRequest);
  const key = idempotencyKeyOf(ctx.idempotencyKeyHeader, idempotencyKey);
  requireText(input.text, 'input.text');
  const citizen = await requireOwnCitizen(ctx);
  if (input.districtCode != null) await requireDistrict(ctx, input.districtCode, 'input.districtCode');
  const categoryId = await requestCategoryId(ctx, input.categoryCode);
  // The district given, of the position, or named in the text; else where the citizen lives.
  const origin = await locateRequest(ctx, input, { nearField: 'input.near' });
  const districtCode = origin.districtCode ?? citizen.districtCode;
  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const learned = await cachedAssociations(ctx.dataSource, ctx.db);
  const understanding = catalogueIndexOf(snapshot).understander().understand(input.text, {
    districtCode,
    categoryCode: input.categoryCode,
    limit: REQUEST_MATCHES,
    learned,
  });
  const record: RequestRecord = { input, citizen, categoryId, districtCode, snapshot, understanding };

  const outcome = await inTransaction(ctx, (tx) =>
    runOnce<StoredRequestOutcome, StoredRequestOutcome>(tx, {
      key,
      operation: 'submitRequest',
      input,
      work: async () => {
        const stored = { requestId: await recordRequest(tx, record), understanding };
        return { result: stored, outcome: stored };
      },
      // The first call's request, matches and needs.
      replay: async (stored) => stored,
    }),
  );
  const request = await ctx.db.findOneByOrFail(SignalRow, { id: outcome.requestId });
  const located = { near: origin.near, districtCode };
  const matches: LocatedMatch[] = (await toServiceMatches(ctx, outcome.understanding)).map((m) => ({
    ...m,
    origin: located,
  }));
  return { request, matches, unmet: outcome.understanding.unmet, needs: needsOf(snapshot, outcome.understanding) };
}

/** What a retry of submitRequest with the same idempotency key is answered with. */
interface StoredRequestOutcome {
  requestId: string;
  understanding: Understanding;
}
