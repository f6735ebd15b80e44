import { Role } from '../../core/auth';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import { addWorkingDays } from '../../calendar/working-days';
import { recordAudit } from '../audit/audit.service';
import { notify } from '../notifications/notifications.service';
import { serviceLevels } from './routing';
import { isBadRating, SatisfactionLevel } from './satisfaction';
import type { SatisfactionRating } from './satisfaction-rating.entity';
import { MAX_NOTE_LENGTH, redactForStaff } from './requests.service';
import { requestsPolicy } from './requests.policy';
import { transactionNow } from './requests.queries';
import {
  answerRectificationRow,
  caseToRate,
  countRatings,
  insertRating,
  lockRectification,
  ratingById,
  ratingsPage,
  signalToRate,
} from './satisfaction.queries';
import { isBlankText } from '../../text';

const ID = /^\d{1,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Past its rectification deadline and not answered. */
export function isRectificationOverdue(
  r: Pick<SatisfactionRating, 'rectificationDue' | 'rectifiedAt'>,
  now: Date,
): boolean {
  return r.rectificationDue !== null && r.rectifiedAt === null && r.rectificationDue < now;
}

/** A rating as someone other than its citizen reads it: the comment redacted. */
const forStaff = (r: SatisfactionRating): SatisfactionRating => ({ ...r, comment: redactForStaff(r.comment) });

const LEVEL_WORDS: Record<SatisfactionLevel, string> = {
  VERY_SATISFIED: '非常满意',
  SATISFIED: '满意',
  NEUTRAL: '基本满意',
  DISSATISFIED: '不满意',
  VERY_DISSATISFIED: '非常不满意',
};

export interface RateOutcomeInput {
  requestId?: string | null;
  useSignalId?: string | null;
  level: SatisfactionLevel;
  comment?: string | null;
}

/** The item a citizen rates, theirs and ready to rate: its department and service. */
async function ratedItem(
  tx: Context,
  userId: string,
  input: RateOutcomeInput,
): Promise<{ departmentId: string | null; serviceId: string | null }> {
  if (input.requestId != null) {
    const id = input.requestId;
    const row = ID.test(id) ? await caseToRate(tx.db, id) : undefined;
    if (!row || row.citizenId !== userId) throw new NotFoundError('Request', id, 'input.requestId');
    if (row.status !== 'RESOLVED')
      throw new ConflictError(`Only a RESOLVED request can be rated (it is ${row.status})`, { status: row.status });
    return row;
  } else {
    const id = input.useSignalId!;
    const row = ID.test(id) ? await signalToRate(tx.db, id) : undefined;
    if (!row || row.citizenId !== userId || row.kind !== 'USE')
      throw new NotFoundError('USE signal', id, 'input.useSignalId');
    return row;
  }
}

/**
 * A citizen rates the outcome of their own resolved request or complaint, or a USE of a
 * service; once per item (a second rating is a CONFLICT). A bad rating gets a rectification
 * deadline for the department (`rectificationDays` working days).
 */
export async function rateOutcome(ctx: Context, input: RateOutcomeInput): Promise<SatisfactionRating> {
  const user = requireRole(ctx, ...requestsPolicy.rateOutcome);
  if ((input.requestId == null) === (input.useSignalId == null)) {
    throw BadInputError.field('input.requestId', 'oneOf', 'give exactly one of input.requestId and input.useSignalId');
  }
  const comment = input.comment != null && !isBlankText(input.comment) ? input.comment.trim() : null;
  if (comment && comment.length > MAX_NOTE_LENGTH) {
    throw BadInputError.field(
      'input.comment',
      'maxLength',
      `input.comment must be at most ${MAX_NOTE_LENGTH} characters`,
    );
  }
  return inTransaction(ctx, async (tx) => {
    const item = await ratedItem(tx, user.id, input);
    const now = await transactionNow(tx.db);
    const due = isBadRating(input.level) ? addWorkingDays(new Date(now), serviceLevels.rectificationDays) : null;
    const rating = await insertRating(tx.db, {
      citizenId: user.id,
      requestId: input.requestId ?? null,
      useSignalId: input.useSignalId ?? null,
      serviceId: item.serviceId,
      departmentId: item.departmentId,
      level: input.level,
      comment,
      rectificationDue: due,
    });
    if (!rating) throw new ConflictError('This outcome has already been rated');
    if (due && item.departmentId) {
      await notify(tx.db, [
        {
          departmentId: item.departmentId,
          kind: 'rating.rectification',
          requestId: input.requestId ?? null,
          serviceId: item.serviceId,
          ratingId: rating.id,
          message: `收到一条差评（${LEVEL_WORDS[input.level]}），请在期限内整改并答复`,
        },
      ]);
    }
    await recordAudit(tx, {
      action: 'satisfaction.rate',
      targetType: input.requestId != null ? 'request' : 'signal',
      targetId: input.requestId ?? input.useSignalId,
      details: { level: input.level, rectificationDue: due },
    });
    return rating;
  });
}

/** STAFF of the rated department answer a bad rating: the answer is required, given once. */
export async function answerRectification(ctx: Context, id: string, answer: string): Promise<SatisfactionRating> {
  const user = requireRole(ctx, ...requestsPolicy.answerRectification);
  const text = answer.trim();
  if (isBlankText(text)) throw BadInputError.field('answer', 'isNotEmpty', 'answer must not be empty');
  if (text.length > MAX_NOTE_LENGTH)
    throw BadInputError.field('answer', 'maxLength', `answer must be at most ${MAX_NOTE_LENGTH} characters`);
  return inTransaction(ctx, async (tx) => {
    const row = ID.test(id) ? await lockRectification(tx.db, id) : undefined;
    if (!row || row.due === null) throw new NotFoundError('Rectification', id, 'id');
    if (!user.departmentId || row.departmentId !== user.departmentId)
      throw new ForbiddenError('Only staff of the rated department may answer');
    if (row.rectifiedAt) throw new ConflictError('This rectification has already been answered');
    await answerRectificationRow(tx.db, id, text);
    const rating = (await ratingById(tx.db, id))!;
    await notify(tx.db, [
      {
        citizenId: row.citizenId,
        kind: 'rating.answer',
        requestId: row.requestId,
        serviceId: row.serviceId,
        ratingId: id,
        message: `您的评价已得到整改答复：${text}`,
      },
    ]);
    await recordAudit(tx, {
      action: 'satisfaction.rectify',
      targetType: 'satisfaction_rating',
      targetId: id,
      details: { answer: text },
    });
    return forStaff(rating);
  });
}

export interface RatingFilter {
  departmentId?: string | null;
  serviceId?: string | null;
  badOnly?: boolean | null;
  unanswered?: boolean | null;
  rectificationOverdue?: boolean | null;
}

/**
 * The 好差评 about a department's services and handling, newest first, comments redacted: the
 * ratings it keeps (it answers their rectifications) and those of outcomes of the services it
 * leads, also when another department handled the request. STAFF read their own
 * department's; PLANNER and ADMIN any department's, or every one's.
 */
export async function departmentRatings(
  ctx: Context,
  args: { filter?: RatingFilter | null; offset: number; limit: number },
  now = new Date(),
): Promise<{ nodes: SatisfactionRating[]; hasNextPage: boolean; totalCount: number }> {
  const user = requireRole(ctx, ...requestsPolicy.departmentRatings);
  const filter = args.filter ?? {};
  for (const field of ['departmentId', 'serviceId'] as const) {
    const value = filter[field];
    if (value != null && !UUID.test(value))
      throw BadInputError.field(`filter.${field}`, 'isUuid', `filter.${field} must be a UUID`);
  }
  let departmentId = filter.departmentId?.toLowerCase() ?? null;
  if (user.role === Role.STAFF) {
    if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
    if (departmentId && departmentId !== user.departmentId)
      throw new ForbiddenError("Staff read only their own department's ratings");
    departmentId = user.departmentId;
  }
  const criteria = {
    departmentId,
    serviceId: filter.serviceId?.toLowerCase() ?? null,
    badOnly: Boolean(filter.badOnly),
    unanswered: Boolean(filter.unanswered),
    rectificationOverdue: filter.rectificationOverdue ?? null,
    now,
  };
  const rows = await ratingsPage(ctx.db, criteria, args.offset, args.limit);
  let totalCount = rows[0]?.totalCount ?? 0;
  if (rows.length === 0 && args.offset > 0) totalCount = await countRatings(ctx.db, criteria);
  const nodes = rows.slice(0, args.limit).map(({ totalCount: _, ...r }) => forStaff(r));
  return { nodes, hasNextPage: rows.length > args.limit, totalCount };
}
