import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import type { LearnedAssociation, VisitEvidence } from './learned-associations';

/** The SQL of the learned term → service associations (learned_association) and their evidence. */

/** Rows one INSERT of replaceAssociations writes at most. */
const INSERT_BATCH = 5_000;

/**
 * Visit evidence of the lookback before `now`: each REQUEST with text, paired with the VIEW and
 * USE signals of a published service by the same citizen within `windowMinutes` after it
 * (through signal_citizen_occurred_idx).
 */
export async function readVisitEvidence(
  db: EntityManager,
  windowMinutes: number,
  lookbackDays: number,
  now: Date,
): Promise<VisitEvidence[]> {
  return queryRows<VisitEvidence>(
    db,
    `SELECT r.citizen_id AS "citizenId", r.text, v.service_id AS "serviceId"
       FROM signal r
       JOIN signal v ON v.citizen_id = r.citizen_id AND v.kind IN ('VIEW', 'USE')
                    AND v.occurred_at >= r.occurred_at
                    AND v.occurred_at <= r.occurred_at + make_interval(mins => $1::int)
       JOIN service s ON s.id = v.service_id AND s.status = 'PUBLISHED'
      WHERE r.kind = 'REQUEST' AND r.text IS NOT NULL
        AND r.occurred_at >= $2::timestamptz - make_interval(days => $3::int) AND r.occurred_at < $2::timestamptz
      ORDER BY r.citizen_id, r.occurred_at, r.id, v.occurred_at, v.id`,
    [windowMinutes, now.toISOString(), lookbackDays],
  );
}

/** Replaces every stored association by `learned` (one step: the caller's transaction holds both). */
export async function replaceAssociations(db: EntityManager, learned: readonly LearnedAssociation[]): Promise<void> {
  await db.query('DELETE FROM learned_association');
  for (let i = 0; i < learned.length; i += INSERT_BATCH) {
    const batch = learned.slice(i, i + INSERT_BATCH);
    await db.query(
      `INSERT INTO learned_association (term, service_id, citizens, strength, learned_at)
       SELECT * , now() FROM unnest($1::varchar[], $2::uuid[], $3::int[], $4::real[])`,
      [
        batch.map((a) => a.term),
        batch.map((a) => a.serviceId),
        batch.map((a) => a.citizens),
        batch.map((a) => a.strength),
      ],
    );
  }
}

export interface StoredAssociationRow {
  term: string;
  serviceId: string;
  strength: number;
}

/** Every stored association, for indexing. */
export async function storedAssociations(db: EntityManager): Promise<StoredAssociationRow[]> {
  return queryRows<StoredAssociationRow>(
    db,
    'SELECT term, service_id AS "serviceId", strength FROM learned_association',
  );
}
