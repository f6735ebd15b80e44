import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import type { CatalogueReport } from './report.types';
import { reportsByIds } from './reports.service';

export function createCatalogueReportLoader(db: EntityManager) {
  return new DataLoader<string, CatalogueReport | undefined>((ids) => reportsByIds(db, ids));
}
