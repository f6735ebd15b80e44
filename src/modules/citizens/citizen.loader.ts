import { DataLoader } from '../../graphql/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys, groupByKeys, isUuid } from '../../db/sql';
import { CitizenInterest } from './citizen-interest.entity';
import { Citizen } from './citizen.entity';

export function createCitizenLoader(db: EntityManager) {
  return new DataLoader<string, Citizen | undefined>(async (ids) =>
    byKeys(ids, await db.findBy(Citizen, { id: In(ids.filter(isUuid)) }), (c) => c.id),
  );
}

export function createCitizenInterestIdsLoader(db: EntityManager) {
  return new DataLoader<string, string[]>(async (citizenIds) => {
    const rows = await db.findBy(CitizenInterest, { citizenId: In(citizenIds.filter(isUuid)) });
    return groupByKeys(citizenIds, rows, (r) => r.citizenId).map((group) => group.map((r) => r.categoryId));
  });
}
