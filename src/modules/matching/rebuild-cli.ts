// npm run matching:rebuild — after signals were loaded by COPY: matches stored requests to the
// catalogue, then recomputes the matching aggregates and item-to-item neighbours.
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { backfillRequestMatches, rebuildMatchingAggregates } from './aggregates';
import { buildCatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from './catalogue-index';
import { UNMET_THRESHOLD } from './request-matching.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const started = Date.now();
  try {
    const snapshot = await buildCatalogueSnapshot(database.dataSource.manager);
    const requests = await database.dataSource.transaction((tx) =>
      backfillRequestMatches(
        tx,
        (text) => catalogueIndexOf(snapshot).matcher.match(text, { limit: 1 })[0],
        UNMET_THRESHOLD,
      ),
    );
    console.log(`matched ${requests} requests (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await database.dataSource.transaction((tx) => rebuildMatchingAggregates(tx));
    console.log(`rebuilt the matching aggregates and neighbours (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
