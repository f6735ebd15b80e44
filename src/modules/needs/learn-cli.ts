// npm run learn:associations — learns word and phrase → service associations from requests
// followed by a view or use of a service in the same visit (docs/matching.md).
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { learnAssociationsOnce } from './association-learning.job';
import { DEFAULT_LEARNING_RUN } from './learned-associations.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const started = Date.now();
  try {
    const run = { ...DEFAULT_LEARNING_RUN, windowMinutes: config.learningWindowMinutes };
    const stored = await learnAssociationsOnce(database.dataSource, run);
    if (stored === null) console.log('another process is learning; nothing done');
    else console.log(`learned ${stored} associations (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
