import { startJob } from '../../core/jobs';
import { defineModule } from '../../core/module';
import { CatalogueReportResolver, FindingResolver } from './report.resolver';
import { createCatalogueReportLoader } from './report.loader';
import { reportScheduleJob } from './report-schedule.job';
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
      // Checks at start and every reportCheckSeconds whether the last complete period's
      // report is due, and builds it (docs/reports.md).
      name: 'report-schedule',
      startAfterServer: true,
      stopBeforeServer: true,
      start: ({ config, dataSource, logger }) => {
        if (!config.reportSchedule) return null;
        logger.info(
          { period: config.reportPeriod, checkSeconds: config.reportCheckSeconds },
          'catalogue reports scheduled',
        );
        return startJob(
          reportScheduleJob(dataSource, config, logger),
          { firstRunMs: 0, intervalMs: config.reportCheckSeconds * 1000 },
          { dataSource, logger },
        );
      },
    },
  ],
});
