/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** CHILD under 18, YOUTH 18–34, ADULT 35–59, SENIOR 60 and over. */
export type AgeBand =
  | 'ADULT'
  | 'CHILD'
  | 'SENIOR'
  | 'YOUTH';

export type DemandDimension =
  | 'AGE_BAND'
  | 'CATEGORY'
  | 'DISTRICT'
  | 'KIND';

export type DemandFilter = {
  ageBand: AgeBand | null | undefined;
  /** A parent category includes its children. */
  categoryCode: string | null | undefined;
  districtCode: string | null | undefined;
  /** Start of the window; the window covers every city day it overlaps. */
  from: string;
  /** Null or empty: every kind. */
  kinds: Array<SignalKind> | null | undefined;
  /** End of the window (exclusive); at most two years after from. */
  to: string;
};

/** What changed since the report of the period before. */
export type FindingChange =
  | 'NEW'
  | 'PERSISTING'
  | 'RESOLVED';

export type FindingKind =
  | 'ADD_SERVICE'
  | 'EXPAND_DISTRICTS'
  | 'IMPROVE_SERVICE'
  | 'MERGE_SERVICES'
  | 'PROMOTE_SERVICE'
  | 'RETIRE_SERVICE';

/** Periods of the city calendar (Asia/Shanghai); weeks start on Monday. */
export type Granularity =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

export type ReportTrigger =
  | 'MANUAL'
  | 'SCHEDULED';

export type Role =
  | 'ADMIN'
  | 'AUDITOR'
  | 'CITIZEN'
  | 'PLANNER'
  | 'REVIEWER'
  | 'STAFF';

export type SignalKind =
  | 'COMPLAINT'
  | 'RATING'
  | 'REQUEST'
  | 'SEARCH'
  | 'USE'
  | 'VIEW';

export type ConsoleSessionQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSessionQuery = { viewer: { id: string, role: Role } | null, categories: Array<{ code: string, name: string, nameEn: string | null, parent: { code: string } | null }>, districts: Array<{ code: string, name: string, nameEn: string | null }> };

export type ConsoleTrendsQueryVariables = Exact<{
  filter: DemandFilter;
  granularity: Granularity | null | undefined;
  groupBy: Array<DemandDimension> | DemandDimension | null | undefined;
}>;


export type ConsoleTrendsQuery = { demandTrends: Array<{ ageBand: AgeBand | null, kind: SignalKind | null, total: number, change: number | null, category: { code: string, name: string, nameEn: string | null } | null, district: { code: string, name: string, nameEn: string | null } | null, points: Array<{ periodStart: string, signals: number, citizens: number }> }> };

export type ConsoleUnmetQueryVariables = Exact<{
  from: string;
  to: string;
  districtCode: string | null | undefined;
}>;


export type ConsoleUnmetQuery = { unmetDemand: Array<{ id: string, label: string, keywords: Array<string>, requestCount: number, citizenCount: number, sampleRequests: Array<string>, closestScore: number | null, category: { name: string, nameEn: string | null } | null, districts: Array<{ count: number, district: { code: string, name: string, nameEn: string | null } }>, closestService: { code: string, title: string, titleEn: string | null } | null }> };

export type ConsoleMapQueryVariables = Exact<{
  filter: DemandFilter;
  granularity: Granularity | null | undefined;
  from: string;
  to: string;
}>;


export type ConsoleMapQuery = { demandTrends: Array<{ total: number, district: { code: string } | null }>, unmetDemand: Array<{ districts: Array<{ count: number, district: { code: string } }> }> };

export type ConsoleLatestReportQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleLatestReportQuery = { catalogueReports: { edges: Array<{ node: { id: string, periodStart: string, periodEnd: string, generatedAt: string, trigger: ReportTrigger, summary: { signals: number, requests: number, activeCitizens: number, publishedServices: number, coverage: number, unmetRequests: number }, findings: Array<{ key: string, kind: FindingKind, priority: number, title: string, rationale: string, change: FindingChange, metrics: Array<{ name: string, value: number }>, services: Array<{ code: string, title: string, titleEn: string | null }>, districts: Array<{ code: string, name: string, nameEn: string | null }> }>, resolvedFindings: Array<{ key: string }> } }> } };

export type ConsolePendingProposalsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePendingProposalsQuery = { proposals: { totalCount: number, edges: Array<{ node: { id: string, title: string, titleEn: string | null, summary: string, submittedAt: string | null, category: { name: string, nameEn: string | null }, department: { name: string, nameEn: string | null }, demandEvidence: { requestCount: number, citizenCount: number } } }> } };

export type ConsoleDepartmentPerformanceQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type ConsoleDepartmentPerformanceQuery = { departmentPerformance: Array<{ received: number, acknowledged: number, acknowledgedOnTime: number, resolved: number, resolvedOnTime: number, overdue: number, medianAcknowledgeHours: number | null, medianResolveHours: number | null, ratings: number, badRatings: number, satisfactionRate: number | null, department: { code: string, name: string, nameEn: string | null } }> };
