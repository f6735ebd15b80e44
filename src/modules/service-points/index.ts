import { defineModule } from '../../core/module';
import { ServicePointResolver } from './service-point.resolver';
import { ServiceMatchPointsResolver } from './service-match-points.resolver';
import { createServicePointsLoader } from './service-point.loader';

/** The service-points module: what it declares of itself (composed in src/modules/index.ts). */
export const servicePointsModule = defineModule({
  name: 'service-points',
  resolvers: [ServicePointResolver, ServiceMatchPointsResolver],
  createLoaders: (db) => ({
    servicePoints: createServicePointsLoader(db),
  }),
});
