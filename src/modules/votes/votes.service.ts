import { inTransaction, type Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { requirePublishedService } from '../catalogue/catalogue.service';
import type { ServiceOffering } from '../catalogue/service.entity';
import { requireOwnCitizen } from '../citizens/citizens.service';
import { insertSignals } from '../signals/signals.service';
import { SignalKind } from '../signals/signal-kind';
import { VoteValue } from './vote-value';
import { recordAudit } from '../audit/audit.service';
import { requireRole } from '../../core/context';
import { votesPolicy } from './votes.policy';
import { deleteVote, upsertRating, upsertVote } from './votes.queries';

/**
 * Casts, changes or (with null) clears the caller's vote. The primary key keeps one vote per
 * citizen and service; triggers keep the counters, so concurrent calls cannot drift them.
 */
export async function castVote(
  ctx: Context,
  serviceId: string,
  value: VoteValue | null,
): Promise<{ service: ServiceOffering; viewerVote: VoteValue | null }> {
  requireRole(ctx, ...votesPolicy.vote);
  const citizen = await requireOwnCitizen(ctx);
  const service = await requirePublishedService(ctx, serviceId);
  await inTransaction(ctx, async (tx) => {
    if (value === null) await deleteVote(tx.db, citizen.id, service.id);
    else await upsertVote(tx.db, citizen.id, service.id, value);
    await recordAudit(tx, {
      action: value === null ? 'vote.clear' : 'vote.cast',
      targetType: 'service',
      targetId: service.id,
      details: { value },
    });
  });
  ctx.loaders.viewerVote.clear(service.id);
  ctx.loaders.serviceCounters.clear(service.id);
  return { service, viewerVote: value };
}

/** Rates a service 1–5; a later rating replaces the earlier one. Also recorded as a RATING signal. */
export async function rateService(
  ctx: Context,
  serviceId: string,
  stars: number,
  comment: string | null | undefined,
): Promise<ServiceOffering> {
  requireRole(ctx, ...votesPolicy.rateService);
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) {
    throw BadInputError.field('stars', 'range', 'stars must be from 1 to 5');
  }
  if (comment != null && comment.length > MAX_TEXT_LENGTH) {
    throw BadInputError.field('comment', 'maxLength', `comment must be at most ${MAX_TEXT_LENGTH} characters`);
  }
  const citizen = await requireOwnCitizen(ctx);
  const service = await requirePublishedService(ctx, serviceId);
  await inTransaction(ctx, async (tx) => {
    await upsertRating(tx.db, citizen.id, service.id, stars, comment ?? null);
    await insertSignals(tx.db, [
      {
        citizenId: citizen.id,
        kind: SignalKind.RATING,
        serviceId: service.id,
        categoryId: service.categoryId,
        districtCode: citizen.districtCode,
        birthYear: citizen.birthYear,
        text: comment ?? null,
        rating: stars,
        occurredAt: new Date(),
        clientEventId: null,
      },
    ]);
    await recordAudit(tx, {
      action: 'rating.set',
      targetType: 'service',
      targetId: service.id,
      details: { stars, comment: comment ?? null },
    });
  });
  ctx.loaders.serviceCounters.clear(service.id);
  return service;
}
