import { startJob } from '../../core/jobs';
import { defineModule } from '../../core/module';
import { RequestCaseResolver, DepartmentPerformanceResolver, SatisfactionRatingResolver } from './requests.resolver';
import { RequestCase } from './request-case.entity';
import { RequestNote } from './request-note.entity';
import { SatisfactionRating } from './satisfaction-rating.entity';
import { deadlineNoticeJob } from './deadline-notices';

/** The requests module: what it declares of itself (composed in src/modules/index.ts). */
export const requestsModule = defineModule({
  name: 'requests',
  entities: [RequestCase, RequestNote, SatisfactionRating],
  resolvers: [RequestCaseResolver, DepartmentPerformanceResolver, SatisfactionRatingResolver],
  jobs: [
    {
      // Tells departments of deadlines near or passed (docs/notifications.md, "Deadline notices").
      name: 'deadline-notices',
      start: ({ config, dataSource, logger }) =>
        config.deadlineNoticeMs > 0
          ? startJob(
              deadlineNoticeJob(config.deadlineNearHours),
              { intervalMs: config.deadlineNoticeMs },
              { dataSource, logger },
            )
          : null,
    },
  ],
});
