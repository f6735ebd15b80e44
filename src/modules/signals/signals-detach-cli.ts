// npm run signals:detach -- --before YYYY-MM [--drop] — detaches the signal log's month partitions
// before that month (docs/scaling.md, "The signal log by month"). Runs as the migration role
// (DATABASE_MIGRATION_URL) when it is set: only the tables' owner may detach.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { detachMonthsBefore } from './signal-partitions';
import { isMonth } from './signal-partitions.queries';

async function main(): Promise<void> {
  const usage = 'usage: npm run signals:detach -- --before YYYY-MM [--drop]';
  let values: { before?: string; drop: boolean };
  try {
    ({ values } = parseArgs({
      options: { before: { type: 'string' }, drop: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${usage}`);
    process.exit(2);
  }
  const { before, drop } = values;
  if (before === undefined || !isMonth(before)) {
    console.error(usage);
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseMigrationUrl ?? config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    const detached = await detachMonthsBefore(database.dataSource, before, { drop });
    for (const { month, rows } of detached) console.log(`${month}: ${rows} signals detached`);
    if (detached.length === 0) console.log(`no month partition before ${before}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
