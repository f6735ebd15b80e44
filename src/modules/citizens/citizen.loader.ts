import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys, groupByKeys, isUuid } from '../../db/sql';
import { citizensByIds } from './citizens.queries';
import { CitizenInterest } from './citizen-interest.entity';
import { Citizen } from './citizen.entity';

export function createCitizenLoader(db: EntityManager) {
  return new DataLoader<string, Citizen | undefined>(async (ids) => {
    // Read on every ranking: raw rows of a prepared statement rather than hydrated entities.
    const rows = await citizensByIds(db, ids.filter(isUuid));
    return byKeys(
      ids,
      rows.map((row) => Object.assign(new Citizen(), row)),
      (c) => c.id,
    );
  });
}

export function createCitizenInterestIdsLoader(db: EntityManager) {
  return new DataLoader<string, string[]>(async (citizenIds) => {
    const rows = await db.findBy(CitizenInterest, { citizenId: In(citizenIds.filter(isUuid)) });
    return groupByKeys(citizenIds, rows, (r) => r.citizenId).map((group) => group.map((r) => r.categoryId));
  });
}
