import { defineModule } from '../../core/module';
import { createServiceGuideLoader } from './guide.loader';

/** The guides module: what it declares of itself (composed in src/modules/index.ts). */
export const guidesModule = defineModule({
  name: 'guides',
  createLoaders: (db) => ({
    serviceGuide: createServiceGuideLoader(db),
  }),
});
