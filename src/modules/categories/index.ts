import { defineModule } from '../../core/module';
import { CategoryResolver } from './category.resolver';
import { Category } from './category.entity';
import { createCategoryLoader } from './category.loader';

/** The categories module: what it declares of itself (composed in src/modules/index.ts). */
export const categoriesModule = defineModule({
  name: 'categories',
  entities: [Category],
  resolvers: [CategoryResolver],
  createLoaders: (db) => ({
    category: createCategoryLoader(db),
  }),
});
