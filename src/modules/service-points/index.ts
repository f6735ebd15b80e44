import { defineModule } from '../../core/module';
import { ServicePointResolver } from './service-point.resolver';
import { ServiceMatchPointsResolver } from './service-match-points.resolver';
import { createServicePointsLoader } from './service-point.loader';

/** The service-points module: what it declares of itself (composed in src/modules/index.ts). */
export const servicePointsModule = defineModule({
  name: 'service-points',
  resolvers: [ServicePointResolver, ServiceMatchPointsResolver],
  // Read through readDb: the read replica when one is in use (docs/scaling.md).
  createLoaders: (_db, _user, readDb) => ({
    servicePoints: createServicePointsLoader(readDb),
  }),
});
