import { defineModule } from '../../core/module';
import { LifeEventResolver, NeedResolver } from './needs.resolver';
import { LearnedAssociationRow } from './learned-association.entity';
import { scheduleAssociationLearning } from './association-learning.job';
import { DEFAULT_LEARNING_RUN } from './learned-associations.service';

/** The needs module: what it declares of itself (composed in src/modules/index.ts). */
export const needsModule = defineModule({
  name: 'needs',
  entities: [LearnedAssociationRow],
  resolvers: [LifeEventResolver, NeedResolver],
  jobs: [
    {
      // Learns the request associations again every learningRefreshMinutes (docs/matching.md).
      name: 'association-learning',
      stopBeforeServer: true,
      start: ({ config, dataSource, logger }) => ({
        stop: scheduleAssociationLearning(dataSource, logger, config.learningRefreshMinutes, {
          ...DEFAULT_LEARNING_RUN,
          windowMinutes: config.learningWindowMinutes,
        }),
      }),
    },
  ],
});
