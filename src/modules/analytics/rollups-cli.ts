// npm run rollups:rebuild — after signals were loaded in bulk (COPY): moves the rollup watermark past
// them and recomputes every derived table (demand and area rollups, service activity, matching aggregates).
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { rebuildDerivedTables } from '../signals/rollup-worker';
import { vacuumDemandRollups } from './rollups.queries';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    const db = database.dataSource.manager;
    const { rollupRows, memberRows, areaMemberRows } = await rebuildDerivedTables(db);
    await vacuumDemandRollups(db);
    console.log(
      `rebuilt demand_daily (${rollupRows} rows), demand_daily_citizen (${memberRows} rows) and the area rollups (${areaMemberRows} members) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
