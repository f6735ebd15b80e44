import { runJobOnce, startJob } from '../../core/jobs';
import { defineModule } from '../../core/module';
import { MatchingResolver } from './matching.resolver';
import { RankingModelsResolver } from './ranking-models.resolver';
import { neighbourRefreshJob } from './neighbour-refresh.job';
import { firstFitInMs, rankingFitJob } from './ranking-fit.job';
import { newestFitTime } from './ranking-models.queries';
import { startTextIndexWarming } from './text-index-warming';

/** The matching module: what it declares of itself (composed in src/modules/index.ts). */
export const matchingModule = defineModule({
  name: 'matching',
  resolvers: [MatchingResolver, RankingModelsResolver],
  jobs: [
    {
      // Item-to-item neighbours: refreshed once before the server starts, then every
      // neighbourRefreshMinutes (every minute while the city is young).
      name: 'neighbour-refresh',
      stopBeforeServer: true,
      start: async ({ config, dataSource, logger }) => {
        if (config.neighbourRefreshMinutes <= 0) return null;
        const intervalMs = config.neighbourRefreshMinutes * 60_000;
        const first = await runJobOnce(neighbourRefreshJob, dataSource);
        const soonerMs = first ? neighbourRefreshJob.nextRunMs?.(first) : undefined;
        return startJob(
          neighbourRefreshJob,
          { intervalMs, firstRunMs: Math.min(intervalMs, soonerMs ?? intervalMs) },
          { dataSource, logger },
        );
      },
    },
    {
      // Fits the ranking every rankingFitHours after the last stored fit (a child process on
      // PostgreSQL).
      name: 'ranking-fit',
      stopBeforeServer: true,
      start: async ({ config, dataSource, embedded, logger }) => {
        if (config.rankingFitHours <= 0) return null;
        const intervalMs = config.rankingFitHours * 3_600_000;
        const firstRunMs = firstFitInMs(await newestFitTime(dataSource.manager), intervalMs, Date.now());
        return startJob(
          rankingFitJob({ dataSource, embedded }, logger),
          { intervalMs, firstRunMs },
          { dataSource, logger },
        );
      },
    },
    {
      // The current catalogue's text index, built before a request needs it (after the server
      // starts, then after each catalogue change).
      name: 'text-index-warm',
      startAfterServer: true,
      stopBeforeServer: true,
      start: ({ config, dataSource, logger }) =>
        config.textIndexWarmSeconds > 0
          ? startTextIndexWarming(dataSource, logger, config.textIndexWarmSeconds * 1000)
          : null,
    },
  ],
});
