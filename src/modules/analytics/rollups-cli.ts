// npm run rollups:rebuild — after signals were loaded in bulk (COPY) past insertSignals:
// recomputes the demand rollups (demand_daily, demand_daily_citizen) from the signals.
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
    const { rollupRows, memberRows } = await rebuildDemandRollups(db);
    await db.query('VACUUM (ANALYZE) demand_daily, demand_daily_citizen, demand_day_change');
    console.log(
      `rebuilt demand_daily (${rollupRows} rows) and demand_daily_citizen (${memberRows} rows) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
