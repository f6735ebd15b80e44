import { defineModule } from '../../core/module';
import { CatalogueReportResolver, FindingResolver } from './report.resolver';
import { createCatalogueReportLoader } from './report.loader';
import { scheduleReports } from './report-schedule.job';
import { reportsRouter } from './reports.routes';

/** The reports module: what it declares of itself (composed in src/modules/index.ts). */
export const reportsModule = defineModule({
  name: 'reports',
  resolvers: [CatalogueReportResolver, FindingResolver],
  // Read through readDb: the read replica when one is in use (docs/scaling.md).
  createLoaders: (_db, _user, readDb) => ({
    catalogueReport: createCatalogueReportLoader(readDb),
  }),
  // Markdown and CSV downloads of stored reports.
  routes: [{ path: '/reports', router: reportsRouter }],
  jobs: [
    {
      // Builds the report of each complete period (docs/reports.md).
      name: 'report-schedule',
      startAfterServer: true,
      stopBeforeServer: true,
      start: ({ config, dataSource, logger }) => ({ stop: scheduleReports(dataSource, config, logger) }),
    },
  ],
});
