import type { EntityManager } from 'typeorm';
import type { AuthUser } from './auth';
import { createCategoryLoader } from '../modules/categories/category.loader';
import {
  createCoDepartmentIdsLoader,
  createPublishedServiceByCodeLoader,
  createServiceCountersLoader,
  createServiceLoader,
} from '../modules/catalogue/service.loader';
import { createDepartmentServicesLoader } from '../modules/catalogue/department-services.loader';
import { createCitizenInterestIdsLoader, createCitizenLoader } from '../modules/citizens/citizen.loader';
import { createDepartmentByCodeLoader, createDepartmentLoader } from '../modules/departments/department.loader';
import { createDistrictLoader } from '../modules/districts/district.loader';
import { createViewerVoteLoader } from '../modules/votes/vote.loader';
import { createServiceVersionsLoader } from '../modules/catalogue/service-version.loader';
import { createCatalogueReportLoader } from '../modules/reports/report.loader';
import { createServiceGuideLoader } from '../modules/guides/guide.loader';
import { createServicePointsLoader } from '../modules/service-points/service-point.loader';
import { createProposalReviewsLoader, createRecentUnmetRequestsLoader } from '../modules/proposals/proposal.loader';

/** One DataLoader per relation, created per request so that nothing is cached across callers. */
export function createLoaders(db: EntityManager, user: AuthUser | null) {
  return {
    district: createDistrictLoader(db),
    category: createCategoryLoader(db),
    department: createDepartmentLoader(db),
    departmentByCode: createDepartmentByCodeLoader(db),
    service: createServiceLoader(db),
    publishedServiceByCode: createPublishedServiceByCodeLoader(db),
    serviceCounters: createServiceCountersLoader(db),
    coDepartmentIds: createCoDepartmentIdsLoader(db),
    departmentServices: createDepartmentServicesLoader(db),
    citizen: createCitizenLoader(db),
    citizenInterestIds: createCitizenInterestIdsLoader(db),
    viewerVote: createViewerVoteLoader(db, user),
    serviceVersions: createServiceVersionsLoader(db),
    proposalReviews: createProposalReviewsLoader(db),
    recentUnmetRequests: createRecentUnmetRequestsLoader(db),
    catalogueReport: createCatalogueReportLoader(db),
    serviceGuide: createServiceGuideLoader(db),
    servicePoints: createServicePointsLoader(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
