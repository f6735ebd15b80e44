import { defineModule } from '../../core/module';
import { CatalogueResolver } from './catalogue.resolver';
import { CatalogueAdminResolver, ServiceVersionResolver } from './catalogue-admin.resolver';
import { ServiceOffering } from './service.entity';
import { ServiceCoDepartment } from './service-co-department.entity';
import { ServiceStatsRow } from './service-stats.entity';
import { ServiceVersion } from './service-version.entity';
import {
  createServiceLoader,
  createPublishedServiceByCodeLoader,
  createServiceCountersLoader,
  createCoDepartmentIdsLoader,
} from './service.loader';
import { createDepartmentServicesLoader } from './department-services.loader';
import { createServiceVersionsLoader } from './service-version.loader';

/** The catalogue module: what it declares of itself (composed in src/modules/index.ts). */
export const catalogueModule = defineModule({
  name: 'catalogue',
  entities: [ServiceOffering, ServiceCoDepartment, ServiceStatsRow, ServiceVersion],
  resolvers: [CatalogueResolver, CatalogueAdminResolver, ServiceVersionResolver],
  // The catalogue reads through readDb (the read replica when one is in use); the version
  // history, for staff, from the primary.
  createLoaders: (db, _user, readDb) => ({
    service: createServiceLoader(readDb),
    publishedServiceByCode: createPublishedServiceByCodeLoader(readDb),
    serviceCounters: createServiceCountersLoader(readDb),
    coDepartmentIds: createCoDepartmentIdsLoader(readDb),
    departmentServices: createDepartmentServicesLoader(readDb),
    serviceVersions: createServiceVersionsLoader(db),
  }),
});
