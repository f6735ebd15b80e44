import type { EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import {
  DEFAULT_LEARNING,
  indexAssociations,
  learnAssociations,
  type AssociationIndex,
  type LearningOptions,
  type VisitEvidence,
} from './learned-associations';

export interface LearningRun extends LearningOptions {
  /** How long after a request a view or use of a service still belongs to the same visit. */
  windowMinutes: number;
  /** How far back requests are read. */
  lookbackDays: number;
}

export const DEFAULT_LEARNING_RUN: LearningRun = { ...DEFAULT_LEARNING, windowMinutes: 30, lookbackDays: 180 };

/**
 * Visit evidence of the lookback: each REQUEST with text, paired with the VIEW and USE signals of a
 * published service by the same citizen within the window after it (through signal_citizen_occurred_idx).
 */
export async function readVisitEvidence(
  db: EntityManager,
  run: LearningRun,
  now = new Date(),
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
    [run.windowMinutes, now.toISOString(), run.lookbackDays],
  );
}

/** Learns the associations again from the evidence and replaces the table's rows, in the caller's transaction. */
export async function relearnAssociations(tx: EntityManager, run: LearningRun = DEFAULT_LEARNING_RUN): Promise<number> {
  if (run.minCitizens < DEFAULT_LEARNING.minCitizens) {
    throw new Error(`learning needs at least ${DEFAULT_LEARNING.minCitizens} citizens per association`);
  }
  const learned = learnAssociations(await readVisitEvidence(tx, run), run);
  await tx.query('DELETE FROM learned_association');
  const BATCH = 5_000;
  for (let i = 0; i < learned.length; i += BATCH) {
    const batch = learned.slice(i, i + BATCH);
    await tx.query(
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
  learnedGeneration++;
  return learned.length;
}

/** Counts relearnings in this process: matching reads the associations again after one. */
let learnedGeneration = 0;

/** The stored associations, indexed for learnedServiceScores. */
export async function loadAssociations(db: EntityManager): Promise<AssociationIndex> {
  const rows = await queryRows<{ term: string; serviceId: string; strength: number }>(
    db,
    'SELECT term, service_id AS "serviceId", strength FROM learned_association',
  );
  return indexAssociations(rows);
}

/** How long matching reuses the stored associations before reading them again (the job refreshes them in minutes). */
export const ASSOCIATIONS_TTL_MS = 60_000;
const associationCache = new WeakMap<
  object,
  { readAt: number; generation: number; index: Promise<AssociationIndex> }
>();

/**
 * The stored associations for matching, read at most once per ASSOCIATIONS_TTL_MS per database
 * (keyed by its data source), and again at once after this process relearned them; concurrent
 * callers share one read.
 */
export function cachedAssociations(dataSource: object, db: EntityManager, now = Date.now()): Promise<AssociationIndex> {
  const cached = associationCache.get(dataSource);
  if (cached && cached.generation === learnedGeneration && now - cached.readAt < ASSOCIATIONS_TTL_MS)
    return cached.index;
  const index = loadAssociations(db);
  associationCache.set(dataSource, { readAt: now, generation: learnedGeneration, index });
  index.catch(() => associationCache.delete(dataSource));
  return index;
}
