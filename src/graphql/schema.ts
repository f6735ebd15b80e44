import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CatalogueResolver } from '../modules/catalogue/catalogue.resolver';
import { CategoryResolver } from '../modules/categories/category.resolver';
import { CitizenResolver } from '../modules/citizens/citizen.resolver';
import { ViewerResolver } from '../modules/citizens/viewer.resolver';
import { DepartmentResolver } from '../modules/departments/department.resolver';
import { DistrictResolver } from '../modules/districts/district.resolver';
import { SignalResolver } from '../modules/signals/signal.resolver';
import { VoteResolver } from '../modules/votes/vote.resolver';
import { MatchingResolver } from '../modules/matching/matching.resolver';
import { DemandSignalResolver } from '../modules/signals/demand-signal.resolver';
import { AnalyticsResolver } from '../modules/analytics/analytics.resolver';
import { CatalogueAdminResolver, ServiceVersionResolver } from '../modules/catalogue/catalogue-admin.resolver';
import { ProposalResolver } from '../modules/proposals/proposal.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';
import { AccessResolver } from '../modules/audit/access.resolver';
import { ServicePointResolver } from '../modules/service-points/service-point.resolver';
import { ServiceMatchPointsResolver } from '../modules/service-points/service-match-points.resolver';
import { CatalogueReportResolver, FindingResolver } from '../modules/reports/report.resolver';
import { DepartmentPerformanceResolver, RequestCaseResolver } from '../modules/requests/requests.resolver';
import { NotificationResolver } from '../modules/notifications/notifications.resolver';
import { WebhookResolver } from '../modules/notifications/webhooks.resolver';
import { LifeEventResolver, NeedResolver } from '../modules/needs/needs.resolver';
import { authChecker } from './auth';

export const resolvers = [
  ViewerResolver,
  DistrictResolver,
  CategoryResolver,
  DepartmentResolver,
  CatalogueResolver,
  ServicePointResolver,
  ServiceMatchPointsResolver,
  CitizenResolver,
  SignalResolver,
  DemandSignalResolver,
  VoteResolver,
  MatchingResolver,
  AnalyticsResolver,
  CatalogueAdminResolver,
  ServiceVersionResolver,
  ProposalResolver,
  AuditResolver,
  AccessResolver,
  CatalogueReportResolver,
  FindingResolver,
  RequestCaseResolver,
  DepartmentPerformanceResolver,
  NotificationResolver,
  WebhookResolver,
  LifeEventResolver,
  NeedResolver,
] as const;

/**
 * type-graphql asks for a PubSub as soon as a subscription exists; every subscription here
 * brings its own `subscribe` (live-notifications.ts), so topics are refused.
 */
const NO_TOPICS = {
  publish(): void {
    throw new Error('subscriptions subscribe to their own sources; there are no topics');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions subscribe to their own sources; there are no topics');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    pubSub: NO_TOPICS,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: { forbidUnknownValues: false },
  });
  return built;
}
