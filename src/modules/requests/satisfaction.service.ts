import { queryRows } from '../../db/sql';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import { addWorkingDays } from '../../calendar/working-days';
import { recordAudit } from '../audit/audit.service';
import { serviceLevels } from './routing';
import { isBadRating, type SatisfactionLevel } from './satisfaction';
import type { SatisfactionRating } from './satisfaction-rating.entity';
import { MAX_NOTE_LENGTH } from './requests.service';
import { requestsPolicy } from './requests.policy';

const ID = /^\d{1,18}$/;
const RATING_COLUMNS = `id::text AS id, case_id::text AS "requestId", use_signal_id::text AS "useSignalId", level, comment, at,
  rectification_due AS "rectificationDue", rectification_answer AS "rectificationAnswer", rectified_at AS "rectifiedAt"`;

export interface RateOutcomeInput {
  requestId?: string | null;
  useSignalId?: string | null;
  level: SatisfactionLevel;
  comment?: string | null;
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
    let item: { departmentId: string | null; serviceId: string | null } | undefined;
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
      if (!row || row.citizenId !== user.id) throw new NotFoundError('Request', id, 'input.requestId');
      if (row.status !== 'RESOLVED')
        throw new ConflictError(`Only a RESOLVED request can be rated (it is ${row.status})`, { status: row.status });
      item = row;
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
      if (!row || row.citizenId !== user.id || row.kind !== 'USE')
        throw new NotFoundError('USE signal', id, 'input.useSignalId');
      item = row;
    }
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
      ? await queryRows<{ departmentId: string | null; due: Date | null; rectifiedAt: Date | null }>(
          tx.db,
          `SELECT department_id AS "departmentId", rectification_due AS due, rectified_at AS "rectifiedAt"
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
    await recordAudit(tx, {
      action: 'satisfaction.rectify',
      targetType: 'satisfaction_rating',
      targetId: id,
      details: { answer: text },
    });
    return rating;
  });
}
