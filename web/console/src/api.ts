// The GraphQL operations the console sends to /graphql; the shapes of their answers are generated
// from them and the schema (`npm run codegen` writes generated.ts).

import type {
  ConsoleDepartmentPerformanceQuery,
  ConsoleLatestReportQuery,
  ConsoleMapQuery,
  ConsolePendingProposalsQuery,
  ConsoleSessionQuery,
  ConsoleTrendsQuery,
  ConsoleUnmetQuery,
} from './generated';

export type { AgeBand, DemandDimension, FindingKind, Granularity, Role, SignalKind } from './generated';

export type Category = ConsoleSessionQuery['categories'][number];
export type District = ConsoleSessionQuery['districts'][number];

/** An error the API answered with (its extensions.code), or NETWORK when there was no answer. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const ENDPOINT = '/graphql';

export async function graphql<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(error instanceof Error ? error.message : String(error), 'NETWORK');
  }
  let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(
      `HTTP ${response.status} ${response.statusText}`,
      response.status === 429 ? 'RATE_LIMITED' : 'NETWORK',
    );
  }
  const [first] = body.errors ?? [];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (!body.data) throw new ApiError(`HTTP ${response.status}: no data`, 'INTERNAL_SERVER_ERROR');
  return body.data;
}

export type SessionData = ConsoleSessionQuery;
export const SESSION_QUERY = /* GraphQL */ `
  query ConsoleSession {
    viewer {
      id
      role
    }
    categories {
      code
      name
      nameEn
      parent {
        code
      }
    }
    districts {
      code
      name
      nameEn
    }
  }
`;

export type DemandTrend = ConsoleTrendsQuery['demandTrends'][number];
export const TRENDS_QUERY = /* GraphQL */ `
  query ConsoleTrends($filter: DemandFilter!, $granularity: Granularity, $groupBy: [DemandDimension!]) {
    demandTrends(filter: $filter, granularity: $granularity, groupBy: $groupBy) {
      category {
        code
        name
        nameEn
      }
      district {
        code
        name
        nameEn
      }
      ageBand
      kind
      total
      change
      points {
        periodStart
        signals
        citizens
      }
    }
  }
`;

export type UnmetCluster = ConsoleUnmetQuery['unmetDemand'][number];
export const UNMET_QUERY = /* GraphQL */ `
  query ConsoleUnmet($from: DateTime!, $to: DateTime!, $districtCode: String) {
    unmetDemand(from: $from, to: $to, districtCode: $districtCode, first: 20) {
      id
      label
      keywords
      requestCount
      citizenCount
      category {
        name
        nameEn
      }
      districts {
        district {
          code
          name
          nameEn
        }
        count
      }
      sampleRequests
      closestService {
        code
        title
        titleEn
      }
      closestScore
    }
  }
`;

export type MapData = ConsoleMapQuery;
/** Signals by district (with the category and age filters) and unmet requests by district, city-wide. */
export const MAP_QUERY = /* GraphQL */ `
  query ConsoleMap($filter: DemandFilter!, $granularity: Granularity, $from: DateTime!, $to: DateTime!) {
    demandTrends(filter: $filter, granularity: $granularity, groupBy: [DISTRICT]) {
      district {
        code
      }
      total
    }
    unmetDemand(from: $from, to: $to, first: 100) {
      districts {
        district {
          code
        }
        count
      }
    }
  }
`;

export type CatalogueReport = ConsoleLatestReportQuery['catalogueReports']['edges'][number]['node'];
export type Finding = CatalogueReport['findings'][number];
export const LATEST_REPORT_QUERY = /* GraphQL */ `
  query ConsoleLatestReport {
    catalogueReports(first: 1) {
      edges {
        node {
          id
          periodStart
          periodEnd
          generatedAt
          trigger
          summary {
            signals
            requests
            activeCitizens
            publishedServices
            coverage
            unmetRequests
          }
          findings {
            key
            kind
            priority
            title
            rationale
            change
            metrics {
              name
              value
            }
            services {
              code
              title
              titleEn
            }
            districts {
              code
              name
              nameEn
            }
          }
          resolvedFindings {
            key
          }
        }
      }
    }
  }
`;

export type PendingProposals = ConsolePendingProposalsQuery['proposals'];
export type PendingProposal = PendingProposals['edges'][number]['node'];
export const PENDING_PROPOSALS_QUERY = /* GraphQL */ `
  query ConsolePendingProposals {
    proposals(first: 20, filter: { status: SUBMITTED }) {
      totalCount
      edges {
        node {
          id
          title
          titleEn
          summary
          submittedAt
          category {
            name
            nameEn
          }
          department {
            name
            nameEn
          }
          demandEvidence {
            requestCount
            citizenCount
          }
        }
      }
    }
  }
`;

export type DepartmentPerformance = ConsoleDepartmentPerformanceQuery['departmentPerformance'][number];

export const PERFORMANCE_QUERY = /* GraphQL */ `
  query ConsoleDepartmentPerformance($from: DateTime!, $to: DateTime!) {
    departmentPerformance(from: $from, to: $to) {
      department {
        code
        name
        nameEn
      }
      received
      acknowledged
      acknowledgedOnTime
      resolved
      resolvedOnTime
      overdue
      medianAcknowledgeHours
      medianResolveHours
      ratings
      badRatings
      satisfactionRate
    }
  }
`;

/** A stored report as a file (GET /reports/<id>.md or .csv needs the bearer token too). */
export async function downloadReport(
  token: string,
  reportId: string,
  format: 'md' | 'csv',
): Promise<{ blob: Blob; fileName: string }> {
  const response = await fetch(`/reports/${encodeURIComponent(reportId)}.${format}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(body?.error?.message ?? `HTTP ${response.status}`, body?.error?.code ?? 'INTERNAL_SERVER_ERROR');
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `catalogue-report.${format}`;
  return { blob: await response.blob(), fileName };
}
