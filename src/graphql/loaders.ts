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

/**
 * One DataLoader per relation, created per request so that nothing is cached across callers.
 * Catalogue, reference and report loaders read through `readDb` (the read replica when one is
 * in use for the request); a caller's own data, through `db`.
 */
export function createLoaders(db: EntityManager, user: AuthUser | null, readDb: EntityManager = db) {
  return {
    district: createDistrictLoader(readDb),
    category: createCategoryLoader(readDb),
    department: createDepartmentLoader(readDb),
    departmentByCode: createDepartmentByCodeLoader(readDb),
    service: createServiceLoader(readDb),
    publishedServiceByCode: createPublishedServiceByCodeLoader(readDb),
    serviceCounters: createServiceCountersLoader(readDb),
    coDepartmentIds: createCoDepartmentIdsLoader(readDb),
    departmentServices: createDepartmentServicesLoader(readDb),
    citizen: createCitizenLoader(db),
    citizenInterestIds: createCitizenInterestIdsLoader(db),
    viewerVote: createViewerVoteLoader(db, user),
    serviceVersions: createServiceVersionsLoader(db),
    proposalReviews: createProposalReviewsLoader(db),
    recentUnmetRequests: createRecentUnmetRequestsLoader(db),
    catalogueReport: createCatalogueReportLoader(readDb),
    serviceGuide: createServiceGuideLoader(readDb),
    servicePoints: createServicePointsLoader(readDb),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
