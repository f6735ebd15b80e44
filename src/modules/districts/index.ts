import { defineModule } from '../../core/module';
import { DistrictResolver } from './district.resolver';
import { District } from './district.entity';
import { createDistrictLoader } from './district.loader';

/** The districts module: what it declares of itself (composed in src/modules/index.ts). */
export const districtsModule = defineModule({
  name: 'districts',
  entities: [District],
  resolvers: [DistrictResolver],
  createLoaders: (db) => ({
    district: createDistrictLoader(db),
  }),
});
