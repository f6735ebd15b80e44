// npm run rollups:rebuild — after signals were loaded in bulk (COPY) past insertSignals:
// recomputes the demand rollups (demand_daily, demand_daily_citizen, demand_area_*) from the signals.
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { rebuildDemandRollups } from './rollups';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    const db = database.dataSource.manager;
    const { rollupRows, memberRows, areaMemberRows } = await rebuildDemandRollups(db);
    await db.query('VACUUM (ANALYZE) demand_daily, demand_daily_citizen, demand_day_change, demand_area_daily, demand_area_citizen, demand_area_span');
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
