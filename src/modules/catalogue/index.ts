import { defineModule } from '../../core/module';
import { CatalogueResolver } from './catalogue.resolver';
import { CatalogueAdminResolver, ServiceVersionResolver } from './catalogue-admin.resolver';
import { ServiceOffering } from './service.entity';
import { ServiceCoDepartment } from './service-co-department.entity';
import { ServiceStatsRow } from './service-stats.entity';
import { ServiceVersion } from './service-version.entity';
import { createServiceLoader, createPublishedServiceByCodeLoader, createServiceCountersLoader, createCoDepartmentIdsLoader } from './service.loader';
import { createDepartmentServicesLoader } from './department-services.loader';
import { createServiceVersionsLoader } from './service-version.loader';

/** The catalogue module: what it declares of itself (composed in src/modules/index.ts). */
export const catalogueModule = defineModule({
  name: 'catalogue',
  entities: [ServiceOffering, ServiceCoDepartment, ServiceStatsRow, ServiceVersion],
  resolvers: [CatalogueResolver, CatalogueAdminResolver, ServiceVersionResolver],
  createLoaders: (db) => ({
    service: createServiceLoader(db),
    publishedServiceByCode: createPublishedServiceByCodeLoader(db),
    serviceCounters: createServiceCountersLoader(db),
    coDepartmentIds: createCoDepartmentIdsLoader(db),
    departmentServices: createDepartmentServicesLoader(db),
    serviceVersions: createServiceVersionsLoader(db),
  }),
});
