import { defineModule } from '../../core/module';
import { MatchingResolver } from './matching.resolver';
import { RankingModelsResolver } from './ranking-models.resolver';
import { refreshNeighboursOnce, scheduleNeighbourRefresh } from './neighbour-refresh.job';
import { scheduleRankingFit } from './ranking-fit.job';

/** The matching module: what it declares of itself (composed in src/modules/index.ts). */
export const matchingModule = defineModule({
  name: 'matching',
  resolvers: [MatchingResolver, RankingModelsResolver],
  jobs: [
    {
      // Item-to-item neighbours: refreshed once before the server starts, then every
      // neighbourRefreshMinutes.
      name: 'neighbour-refresh',
      stopBeforeServer: true,
      start: async ({ config, dataSource, logger }) => {
        if (config.neighbourRefreshMinutes > 0) await refreshNeighboursOnce(dataSource);
        return { stop: scheduleNeighbourRefresh(dataSource, logger, config.neighbourRefreshMinutes) };
      },
    },
    {
      // Fits the ranking every rankingFitHours (a child process on PostgreSQL).
      name: 'ranking-fit',
      stopBeforeServer: true,
      start: ({ config, dataSource, embedded, logger }) => ({
        stop: scheduleRankingFit({ dataSource, embedded }, logger, config.rankingFitHours),
      }),
    },
  ],
});
