import { defineModule } from '../../core/module';
import { createServiceGuideLoader } from './guide.loader';

/** The guides module: what it declares of itself (composed in src/modules/index.ts). */
export const guidesModule = defineModule({
  name: 'guides',
  // Read through readDb: the read replica when one is in use (docs/scaling.md).
  createLoaders: (_db, _user, readDb) => ({
    serviceGuide: createServiceGuideLoader(readDb),
  }),
});
