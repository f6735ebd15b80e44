import { DataLoader } from '../../graphql/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { byKeys } from '../../db/sql';
import { District } from './district.entity';

export function createDistrictLoader(db: EntityManager) {
  return new DataLoader<string, District | undefined>(async (codes) =>
    byKeys(codes, await db.findBy(District, { code: In([...codes]) }), (d) => d.code),
  );
}
