import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../../db/sql';
import type { Citizen } from './citizen.entity';

/** The SQL of citizens' profiles (their interests are read and written through the entity). */

export type CitizenRow = Pick<
  Citizen,
  'id' | 'districtCode' | 'birthYear' | 'tags' | 'personalization' | 'createdAt' | 'updatedAt'
>;

/** Citizens by id (ids that are not UUIDs left out by the caller); read on every ranking. */
export async function citizensByIds(db: EntityManager, ids: string[]): Promise<CitizenRow[]> {
  return queryPrepared<CitizenRow>(
    db,
    `SELECT id, district_code AS "districtCode", birth_year AS "birthYear", tags, personalization,
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM citizen WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

/** What a profile write sets: null tags and personalization keep the stored ones (defaults on a new profile). */
export interface ProfileWrite {
  id: string;
  districtCode: string;
  birthYear: number | null;
  /** Sorted, without duplicates; null keeps the stored ones. */
  tags: string[] | null;
  personalization: boolean | null;
  /** Whether `birthYear` replaces the stored one (false: it was left out of the input). */
  setBirthYear: boolean;
}

/** Creates or updates a citizen's profile in one statement. */
export async function upsertProfile(db: EntityManager, profile: ProfileWrite): Promise<void> {
  await db.query(
    `INSERT INTO citizen (id, district_code, birth_year, tags, personalization)
       VALUES ($1, $2, $3, coalesce($4::text[], '{}'), coalesce($5, true))
       ON CONFLICT (id) DO UPDATE SET
         district_code = EXCLUDED.district_code,
         birth_year = CASE WHEN $6 THEN EXCLUDED.birth_year ELSE citizen.birth_year END,
         tags = coalesce($4::text[], citizen.tags),
         personalization = coalesce($5, citizen.personalization),
         updated_at = now()`,
    [profile.id, profile.districtCode, profile.birthYear, profile.tags, profile.personalization, profile.setBirthYear],
  );
}
