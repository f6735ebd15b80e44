/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { type GraphQLClient, type RequestOptions } from 'graphql-request';
import gql from 'graphql-tag';
type GraphQLClientRequestHeaders = RequestOptions['requestHeaders'];
/** CHILD under 18, YOUTH 18–34, ADULT 35–59, SENIOR 60 and over. */
export type AgeBand =
  | 'ADULT'
  | 'CHILD'
  | 'SENIOR'
  | 'YOUTH';

export type Channel =
  | 'APP'
  | 'HOME_VISIT'
  | 'ONLINE'
  | 'PHONE'
  | 'SERVICE_WINDOW';

export type DemandDimension =
  | 'AGE_BAND'
  | 'CATEGORY'
  | 'DISTRICT'
  | 'KIND';

export type DemandFilter = {
  ageBand?: AgeBand | null | undefined;
  /** A parent category includes its children. */
  categoryCode?: string | null | undefined;
  districtCode?: string | null | undefined;
  /** Start of the window; the window covers every city day it overlaps. */
  from: string;
  /** Null or empty: every kind. */
  kinds?: Array<SignalKind> | null | undefined;
  /** End of the window (exclusive); at most two years after from. */
  to: string;
};

/** Periods of the city calendar (Asia/Shanghai); weeks start on Monday. */
export type Granularity =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

/** A GPS position (WGS-84), as phones and Open311 clients send it. */
export type LatLongInput = {
  lat: number;
  long: number;
};

export type MatchReasonKind =
  | 'INTEREST'
  | 'NEW_SERVICE'
  | 'OWN_HISTORY'
  | 'POPULAR'
  | 'SEGMENT_DEMAND'
  | 'SIMILAR_CITIZENS'
  | 'TEXT_MATCH'
  | 'WELL_RATED';

export type RequestInput = {
  categoryCode?: string | null | undefined;
  /** Where the need is: else the district of `near`, else one the text names (我在花溪区…), else the citizen's district. */
  districtCode?: string | null | undefined;
  /** GPS position (WGS-84) of the citizen: its district (point in polygon) when districtCode is not given, and each match's nearbyOpenPoints, nearest first. A position outside the city is refused. */
  near?: LatLongInput | null | undefined;
  text: string;
};

export type ServiceFilter = {
  /** A category; a parent category includes its children. */
  categoryCode?: string | null | undefined;
  /** Services this department leads or co-provides. */
  departmentId?: string | number | null | undefined;
  /** Services available to residents of this district. */
  districtCode?: string | null | undefined;
  /** Free text, simplified or traditional Chinese or English. */
  search?: string | null | undefined;
  /** PUBLISHED by default; RETIRED needs a staff role. */
  status?: ServiceStatus | null | undefined;
  /** Services carrying every one of these tags. */
  tags?: Array<string> | null | undefined;
};

export type ServiceOrder =
  | 'NEWEST'
  | 'POPULARITY'
  | 'RELEVANCE'
  | 'TITLE'
  | 'VOTE_SCORE';

export type ServiceStatus =
  | 'PUBLISHED'
  | 'RETIRED';

export type SignalKind =
  | 'COMPLAINT'
  | 'RATING'
  | 'REQUEST'
  | 'SEARCH'
  | 'USE'
  | 'VIEW';

export type VoteValue =
  | 'DOWN'
  | 'UP';

export type ServiceCardFragment = { id: string, code: string, title: string, titleEn: string | null, summary: string, channels: Array<Channel>, category: { code: string, name: string }, department: { id: string, name: string }, stats: { upvotes: number, downvotes: number, voteScore: number, ratingAverage: number | null, ratingCount: number, uses30d: number } };

export type ServiceMatchCardFragment = { rank: number, score: number, reasons: Array<{ kind: MatchReasonKind, weight: number, message: string }>, service: { id: string, code: string, title: string, titleEn: string | null, summary: string, channels: Array<Channel>, category: { code: string, name: string }, department: { id: string, name: string }, stats: { upvotes: number, downvotes: number, voteScore: number, ratingAverage: number | null, ratingCount: number, uses30d: number } } };

export type RecommendedServicesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  citizenId?: string | number | null | undefined;
  categoryCode?: string | null | undefined;
}>;


export type RecommendedServicesQuery = { recommendedServices: { personalized: boolean, edges: Array<{ cursor: string, node: { rank: number, score: number, reasons: Array<{ kind: MatchReasonKind, weight: number, message: string }>, service: { id: string, code: string, title: string, titleEn: string | null, summary: string, channels: Array<Channel>, category: { code: string, name: string }, department: { id: string, name: string }, stats: { upvotes: number, downvotes: number, voteScore: number, ratingAverage: number | null, ratingCount: number, uses30d: number } } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type MatchRequestQueryVariables = Exact<{
  text: string;
  districtCode?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type MatchRequestQuery = { matchRequest: Array<{ rank: number, score: number, reasons: Array<{ kind: MatchReasonKind, weight: number, message: string }>, service: { id: string, code: string, title: string, titleEn: string | null, summary: string, channels: Array<Channel>, category: { code: string, name: string }, department: { id: string, name: string }, stats: { upvotes: number, downvotes: number, voteScore: number, ratingAverage: number | null, ratingCount: number, uses30d: number } } }> };

export type SubmitRequestMutationVariables = Exact<{
  input: RequestInput;
}>;


export type SubmitRequestMutation = { submitRequest: { unmet: boolean, request: { id: string, occurredAt: string, district: { code: string, name: string }, category: { code: string, name: string } | null }, matches: Array<{ rank: number, score: number, nearbyOpenPoints: Array<{ code: string, name: string, address: string, phone: string, distanceMeters: number | null, open: boolean }>, reasons: Array<{ kind: MatchReasonKind, weight: number, message: string }>, service: { id: string, code: string, title: string, titleEn: string | null, summary: string, channels: Array<Channel>, category: { code: string, name: string }, department: { id: string, name: string }, stats: { upvotes: number, downvotes: number, voteScore: number, ratingAverage: number | null, ratingCount: number, uses30d: number } } }> } };

export type SearchServicesQueryVariables = Exact<{
  filter?: ServiceFilter | null | undefined;
  orderBy?: ServiceOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SearchServicesQuery = { services: { totalCount: number, edges: Array<{ cursor: string, node: { viewerVote: VoteValue | null, id: string, code: string, title: string, titleEn: string | null, summary: string, channels: Array<Channel>, category: { code: string, name: string }, department: { id: string, name: string }, stats: { upvotes: number, downvotes: number, voteScore: number, ratingAverage: number | null, ratingCount: number, uses30d: number } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DemandTrendsQueryVariables = Exact<{
  filter: DemandFilter;
  granularity?: Granularity | null | undefined;
  groupBy?: Array<DemandDimension> | DemandDimension | null | undefined;
  allowEstimates?: boolean | null | undefined;
}>;


export type DemandTrendsQuery = { demandTrends: Array<{ ageBand: AgeBand | null, kind: SignalKind | null, total: number, exact: boolean, change: number | null, category: { code: string, name: string } | null, district: { code: string, name: string } | null, points: Array<{ periodStart: string, signals: number, citizens: number }> }> };

export type VoteMutationVariables = Exact<{
  serviceId: string | number;
  value?: VoteValue | null | undefined;
}>;


export type VoteMutation = { vote: { viewerVote: VoteValue | null, service: { id: string, stats: { upvotes: number, downvotes: number, voteScore: number } } } };

export const ServiceCardFragmentDoc = gql`
    fragment ServiceCard on ServiceOffering {
  id
  code
  title
  titleEn
  summary
  channels
  category {
    code
    name
  }
  department {
    id
    name
  }
  stats {
    upvotes
    downvotes
    voteScore
    ratingAverage
    ratingCount
    uses30d
  }
}
    `;
export const ServiceMatchCardFragmentDoc = gql`
    fragment ServiceMatchCard on ServiceMatch {
  rank
  score
  reasons {
    kind
    weight
    message
  }
  service {
    ...ServiceCard
  }
}
    ${ServiceCardFragmentDoc}`;
export const RecommendedServicesDocument = gql`
    query RecommendedServices($first: Int, $after: String, $citizenId: ID, $categoryCode: String) {
  recommendedServices(
    first: $first
    after: $after
    citizenId: $citizenId
    categoryCode: $categoryCode
  ) {
    personalized
    edges {
      cursor
      node {
        ...ServiceMatchCard
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    ${ServiceMatchCardFragmentDoc}`;
export const MatchRequestDocument = gql`
    query MatchRequest($text: String!, $districtCode: String, $first: Int) {
  matchRequest(text: $text, districtCode: $districtCode, first: $first) {
    ...ServiceMatchCard
  }
}
    ${ServiceMatchCardFragmentDoc}`;
export const SubmitRequestDocument = gql`
    mutation SubmitRequest($input: RequestInput!) {
  submitRequest(input: $input) {
    unmet
    request {
      id
      occurredAt
      district {
        code
        name
      }
      category {
        code
        name
      }
    }
    matches {
      ...ServiceMatchCard
      nearbyOpenPoints {
        code
        name
        address
        phone
        distanceMeters
        open
      }
    }
  }
}
    ${ServiceMatchCardFragmentDoc}`;
export const SearchServicesDocument = gql`
    query SearchServices($filter: ServiceFilter, $orderBy: ServiceOrder, $first: Int, $after: String) {
  services(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges {
      cursor
      node {
        ...ServiceCard
        viewerVote
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    ${ServiceCardFragmentDoc}`;
export const DemandTrendsDocument = gql`
    query DemandTrends($filter: DemandFilter!, $granularity: Granularity, $groupBy: [DemandDimension!], $allowEstimates: Boolean) {
  demandTrends(
    filter: $filter
    granularity: $granularity
    groupBy: $groupBy
    allowEstimates: $allowEstimates
  ) {
    category {
      code
      name
    }
    district {
      code
      name
    }
    ageBand
    kind
    total
    exact
    change
    points {
      periodStart
      signals
      citizens
    }
  }
}
    `;
export const VoteDocument = gql`
    mutation Vote($serviceId: ID!, $value: VoteValue) {
  vote(serviceId: $serviceId, value: $value) {
    viewerVote
    service {
      id
      stats {
        upvotes
        downvotes
        voteScore
      }
    }
  }
}
    `;

export type SdkFunctionWrapper = <T>(action: (requestHeaders?:Record<string, string>) => Promise<T>, operationName: string, operationType?: string, variables?: any) => Promise<T>;


const defaultWrapper: SdkFunctionWrapper = (action, _operationName, _operationType, _variables) => action();

export function getSdk(client: GraphQLClient, withWrapper: SdkFunctionWrapper = defaultWrapper) {
  return {
    RecommendedServices(variables?: RecommendedServicesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<RecommendedServicesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<RecommendedServicesQuery>({ document: RecommendedServicesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'RecommendedServices', 'query', variables);
    },
    MatchRequest(variables: MatchRequestQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MatchRequestQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MatchRequestQuery>({ document: MatchRequestDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MatchRequest', 'query', variables);
    },
    SubmitRequest(variables: SubmitRequestMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SubmitRequestMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<SubmitRequestMutation>({ document: SubmitRequestDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SubmitRequest', 'mutation', variables);
    },
    SearchServices(variables?: SearchServicesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SearchServicesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<SearchServicesQuery>({ document: SearchServicesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SearchServices', 'query', variables);
    },
    DemandTrends(variables: DemandTrendsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<DemandTrendsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<DemandTrendsQuery>({ document: DemandTrendsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'DemandTrends', 'query', variables);
    },
    Vote(variables: VoteMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<VoteMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<VoteMutation>({ document: VoteDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Vote', 'mutation', variables);
    }
  };
}
export type Sdk = ReturnType<typeof getSdk>;