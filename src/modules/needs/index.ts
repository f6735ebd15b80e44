import { startJob } from '../../core/jobs';
import { defineModule } from '../../core/module';
import { LifeEventResolver, NeedResolver } from './needs.resolver';
import { LearnedAssociationRow } from './learned-association.entity';
import { associationLearningJob } from './association-learning.job';
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
      start: ({ config, dataSource, logger }) =>
        config.learningRefreshMinutes > 0
          ? startJob(
              associationLearningJob({ ...DEFAULT_LEARNING_RUN, windowMinutes: config.learningWindowMinutes }),
              { intervalMs: config.learningRefreshMinutes * 60_000 },
              { dataSource, logger },
            )
          : null,
    },
  ],
});
