import { defineModule } from '../../core/module';
import { CatalogueReportResolver, FindingResolver } from './report.resolver';
import { createCatalogueReportLoader } from './report.loader';

/** The reports module: what it declares of itself (composed in src/modules/index.ts). */
export const reportsModule = defineModule({
  name: 'reports',
  resolvers: [CatalogueReportResolver, FindingResolver],
  createLoaders: (db) => ({
    catalogueReport: createCatalogueReportLoader(db),
  }),
});
