// npm run matching:fit — fits the ranking blend on the city's recent signals
// (docs/matching.md, "Weights learned from the city's signals"): the weeks before the last one
// fit it, the last one evaluates it against the defaults and the simple baselines; the model is
// stored, and made active when it beat the defaults. Also run daily by the server
// (RANKING_FIT_HOURS).
import 'reflect-metadata';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { runRankingFitOnce } from './ranking-fit.job';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const started = Date.now();
  try {
    const run = await runRankingFitOnce(database);
    if (!run) {
      console.log('another process is fitting the ranking; nothing done');
      return;
    }
    const { outcome } = run;
    if (outcome.kind === 'too little data') {
      console.log(`too little data (${outcome.fitQueries} citizens with a use in the fit week): the defaults stay`);
      return;
    }
    const e = outcome.evaluation;
    console.log(
      `model ${run.modelId}${run.activated ? ' (active)' : ' (not activated: not better than the defaults)'}: ` +
        `NDCG@10 on the evaluation week ${e.fitted.toFixed(4)} fitted, ${e.defaults.toFixed(4)} defaults; baselines ` +
        Object.entries(e.baselines)
          .map(([name, v]) => `${name} ${v.toFixed(4)}`)
          .join(', ') +
        `; ${outcome.fitQueries} citizens fitted, ${e.queries} evaluated (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    const validation = outcome.trace.validation;
    if (validation)
      console.log(
        `validation week (${validation.queries} citizens, the week before the fit week): kept ${validation.kept}; ` +
          validation.candidates.map((c) => `${c.label} ${c.ndcg.toFixed(4)}`).join(', '),
      );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
