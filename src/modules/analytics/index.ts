import { defineModule } from '../../core/module';
import { AnalyticsResolver } from './analytics.resolver';

/** The analytics module: what it declares of itself (composed in src/modules/index.ts). */
export const analyticsModule = defineModule({
  name: 'analytics',
  resolvers: [AnalyticsResolver],
});
