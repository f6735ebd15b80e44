import { defineModule } from '../../core/module';
import { MatchingResolver } from './matching.resolver';

/** The matching module: what it declares of itself (composed in src/modules/index.ts). */
export const matchingModule = defineModule({
  name: 'matching',
  resolvers: [MatchingResolver],
});
