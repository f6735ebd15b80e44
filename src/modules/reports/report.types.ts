import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../core/pagination';
import { DepartmentPerformance } from '../requests/requests.types';
import { FindingChange, FindingKind } from './report-rules';

export enum ReportTrigger {
  SCHEDULED = 'SCHEDULED',
  MANUAL = 'MANUAL',
}
registerEnumType(ReportTrigger, { name: 'ReportTrigger' });
registerEnumType(FindingKind, { name: 'FindingKind' });
registerEnumType(FindingChange, {
  name: 'FindingChange',
  description: 'What changed since the report of the period before.',
});

@ObjectType({ simpleResolvers: true })
export class ReportSummary {
  @Field(() => Int)
  signals: number;

  @Field(() => Int)
  requests: number;

  @Field(() => Int)
  activeCitizens: number;

  @Field(() => Int)
  publishedServices: number;

  @Field(() => Float, {
    description: 'Share of free-text requests in the period that a published service met, 0 to 1.',
  })
  coverage: number;

  @Field(() => Int)
  unmetRequests: number;
}

@ObjectType({ simpleResolvers: true })
export class Metric {
  @Field()
  name: string;

  @Field(() => Float)
  value: number;
}

/** An unmet cluster as stored with an ADD_SERVICE finding (ids, resolved when read). */
export interface StoredCluster {
  id: string;
  label: string;
  keywords: string[];
  requestCount: number;
  /** Of requestCount, failed searches (absent in findings stored before searches counted). */
  searchCount?: number;
  citizenCount: number;
  categoryId: string | null;
  districts: { code: string; count: number }[];
  sampleRequests: string[];
  closestServiceId: string | null;
  closestScore: number | null;
  /** The need of the cluster (seeds/needs); absent in reports stored before clusters had one. */
  needCode?: string | null;
}

/** A finding as stored in catalogue_report.findings (jsonb) and served as Finding. */
@ObjectType({ simpleResolvers: true })
export class Finding {
  @Field(() => String, {
    description: 'Identifies the finding across reports: its kind and its services (or cluster).',
  })
  key: string;

  @Field(() => FindingKind)
  kind: FindingKind;

  @Field(() => Float, { description: 'Higher first; comparable within one report.' })
  priority: number;

  @Field()
  title: string;

  @Field()
  rationale: string;

  @Field(() => [Metric])
  metrics: Metric[];

  @Field(() => FindingChange, {
    description: 'NEW or PERSISTING against the previous report; RESOLVED in resolvedFindings.',
  })
  change: FindingChange;

  serviceIds: string[];
  districtCodes: string[];
  departmentIds: string[];
  cluster: StoredCluster | null;
}

@ObjectType({ simpleResolvers: true })
export class CatalogueReport {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  periodStart: Date;

  @Field(() => Date)
  periodEnd: Date;

  @Field(() => Date)
  generatedAt: Date;

  @Field(() => ReportTrigger)
  trigger: ReportTrigger;

  @Field(() => ReportSummary)
  summary: ReportSummary;

  @Field(() => [Finding], { description: 'Highest priority first.' })
  findings: Finding[];

  @Field(() => [DepartmentPerformance], {
    description:
      'Per department, the requests and complaints routed to it in the period (overdue as at its end) and the ratings given; most received first.',
  })
  departmentPerformance: DepartmentPerformance[];

  @Field(() => [Finding], { description: 'Findings of the previous report that no longer hold (change RESOLVED).' })
  resolvedFindings: Finding[];

  previousId: string | null;
}

export const CatalogueReportConnection = Connection('CatalogueReport', CatalogueReport);
export type CatalogueReportConnection = InstanceType<typeof CatalogueReportConnection>;
