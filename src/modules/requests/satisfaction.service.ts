import { queryRows } from '../../db/sql';
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

const ID = /^\d{1,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RATING_COLUMNS = `id::text AS id, case_id::text AS "requestId", use_signal_id::text AS "useSignalId", level, comment, at,
  service_id AS "serviceId", department_id AS "departmentId",
  rectification_due AS "rectificationDue", rectification_answer AS "rectificationAnswer", rectified_at AS "rectifiedAt"`;

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
    const [row] = ID.test(id)
      ? await queryRows<{ citizenId: string; status: string; departmentId: string | null; serviceId: string | null }>(
          tx.db,
          `SELECT citizen_id AS "citizenId", status, department_id AS "departmentId",
              COALESCE(service_id, offered_service_ids[1]) AS "serviceId" FROM request_case WHERE signal_id = $1`,
          [id],
        )
      : [];
    if (!row || row.citizenId !== userId) throw new NotFoundError('Request', id, 'input.requestId');
    if (row.status !== 'RESOLVED')
      throw new ConflictError(`Only a RESOLVED request can be rated (it is ${row.status})`, { status: row.status });
    return row;
  } else {
    const id = input.useSignalId!;
    const [row] = ID.test(id)
      ? await queryRows<{ citizenId: string; kind: string; departmentId: string; serviceId: string }>(
          tx.db,
          `SELECT s.citizen_id AS "citizenId", s.kind::text AS kind, sv.department_id AS "departmentId", s.service_id AS "serviceId"
         FROM signal s JOIN service sv ON sv.id = s.service_id WHERE s.id = $1`,
          [id],
        )
      : [];
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
  const comment = input.comment?.trim() || null;
  if (comment && comment.length > MAX_NOTE_LENGTH) {
    throw BadInputError.field(
      'input.comment',
      'maxLength',
      `input.comment must be at most ${MAX_NOTE_LENGTH} characters`,
    );
  }
  return inTransaction(ctx, async (tx) => {
    const item = await ratedItem(tx, user.id, input);
    const [{ now }] = await queryRows<{ now: Date }>(tx.db, 'SELECT now() AS now');
    const due = isBadRating(input.level) ? addWorkingDays(new Date(now), serviceLevels.rectificationDays) : null;
    const [rating] = await queryRows<SatisfactionRating>(
      tx.db,
      `INSERT INTO satisfaction_rating (citizen_id, case_id, use_signal_id, service_id, department_id, level, comment, rectification_due)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING ${RATING_COLUMNS}`,
      [
        user.id,
        input.requestId ?? null,
        input.useSignalId ?? null,
        item.serviceId,
        item.departmentId,
        input.level,
        comment,
        due,
      ],
    );
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
  if (text === '') throw BadInputError.field('answer', 'isNotEmpty', 'answer must not be empty');
  if (text.length > MAX_NOTE_LENGTH)
    throw BadInputError.field('answer', 'maxLength', `answer must be at most ${MAX_NOTE_LENGTH} characters`);
  return inTransaction(ctx, async (tx) => {
    const [row] = ID.test(id)
      ? await queryRows<{
          departmentId: string | null;
          citizenId: string;
          requestId: string | null;
          serviceId: string | null;
          due: Date | null;
          rectifiedAt: Date | null;
        }>(
          tx.db,
          `SELECT department_id AS "departmentId", citizen_id AS "citizenId", case_id::text AS "requestId",
                service_id AS "serviceId", rectification_due AS due, rectified_at AS "rectifiedAt"
         FROM satisfaction_rating WHERE id = $1 FOR UPDATE`,
          [id],
        )
      : [];
    if (!row || row.due === null) throw new NotFoundError('Rectification', id, 'id');
    if (!user.departmentId || row.departmentId !== user.departmentId)
      throw new ForbiddenError('Only staff of the rated department may answer');
    if (row.rectifiedAt) throw new ConflictError('This rectification has already been answered');
    await tx.db.query('UPDATE satisfaction_rating SET rectification_answer = $2, rectified_at = now() WHERE id = $1', [
      id,
      text,
    ]);
    const [rating] = await queryRows<SatisfactionRating>(
      tx.db,
      `SELECT ${RATING_COLUMNS} FROM satisfaction_rating WHERE id = $1`,
      [id],
    );
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
  const params: unknown[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  let departmentId = filter.departmentId?.toLowerCase() ?? null;
  if (user.role === Role.STAFF) {
    if (!user.departmentId) throw new ForbiddenError('A STAFF token needs a department (dept claim)');
    if (departmentId && departmentId !== user.departmentId)
      throw new ForbiddenError("Staff read only their own department's ratings");
    departmentId = user.departmentId;
  }
  if (departmentId) {
    // Its handling (the department a rating keeps), or its services' outcomes whoever handled them.
    const d = add(departmentId);
    where.push(
      `(department_id = ${d}::uuid OR service_id IN (SELECT id FROM service WHERE department_id = ${d}::uuid))`,
    );
  }
  if (filter.serviceId) where.push(`service_id = ${add(filter.serviceId.toLowerCase())}::uuid`);
  if (filter.badOnly) where.push('rectification_due IS NOT NULL');
  if (filter.unanswered) where.push('rectification_due IS NOT NULL AND rectified_at IS NULL');
  if (filter.rectificationOverdue != null) {
    const overdue = `(rectification_due IS NOT NULL AND rectified_at IS NULL AND rectification_due < ${add(now.toISOString())}::timestamptz)`;
    where.push(filter.rectificationOverdue ? overdue : `NOT ${overdue}`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = await queryRows<SatisfactionRating & { totalCount: number }>(
    ctx.db,
    `SELECT ${RATING_COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM satisfaction_rating ${clause}
      ORDER BY at DESC, id DESC LIMIT ${args.limit + 1} OFFSET ${args.offset}`,
    params,
  );
  let totalCount = rows[0]?.totalCount ?? 0;
  if (rows.length === 0 && args.offset > 0) {
    [{ totalCount }] = await queryRows<{ totalCount: number }>(
      ctx.db,
      `SELECT count(*)::int AS "totalCount" FROM satisfaction_rating ${clause}`,
      params,
    );
  }
  const nodes = rows.slice(0, args.limit).map(({ totalCount: _, ...r }) => forStaff(r));
  return { nodes, hasNextPage: rows.length > args.limit, totalCount };
}
