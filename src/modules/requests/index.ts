import { defineModule } from '../../core/module';
import { RequestCaseResolver, DepartmentPerformanceResolver } from './requests.resolver';
import { RequestCase } from './request-case.entity';
import { RequestNote } from './request-note.entity';
import { SatisfactionRating } from './satisfaction-rating.entity';

/** The requests module: what it declares of itself (composed in src/modules/index.ts). */
export const requestsModule = defineModule({
  name: 'requests',
  entities: [RequestCase, RequestNote, SatisfactionRating],
  resolvers: [RequestCaseResolver, DepartmentPerformanceResolver],
});
