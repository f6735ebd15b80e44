import type { EntityManager } from 'typeorm';
import type { VoteValue } from './vote-value';

/** The SQL of votes and ratings; triggers keep the services' counters (service_stats). */

/** Clears a citizen's vote on a service (nothing when there is none). */
export async function deleteVote(db: EntityManager, citizenId: string, serviceId: string): Promise<void> {
  await db.query('DELETE FROM vote WHERE citizen_id = $1 AND service_id = $2', [citizenId, serviceId]);
}

/** Casts or changes a citizen's vote on a service; the same value again leaves the row (and its updated_at) as it is. */
export async function upsertVote(
  db: EntityManager,
  citizenId: string,
  serviceId: string,
  value: VoteValue,
): Promise<void> {
  await db.query(
    `INSERT INTO vote (citizen_id, service_id, value) VALUES ($1, $2, $3)
         ON CONFLICT (citizen_id, service_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
         WHERE vote.value IS DISTINCT FROM EXCLUDED.value`,
    [citizenId, serviceId, value],
  );
}

/** Sets a citizen's rating of a service, replacing an earlier one. */
export async function upsertRating(
  db: EntityManager,
  citizenId: string,
  serviceId: string,
  stars: number,
  comment: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO rating (citizen_id, service_id, stars, comment) VALUES ($1, $2, $3, $4)
       ON CONFLICT (citizen_id, service_id) DO UPDATE SET stars = EXCLUDED.stars, comment = EXCLUDED.comment, updated_at = now()`,
    [citizenId, serviceId, stars, comment],
  );
}
