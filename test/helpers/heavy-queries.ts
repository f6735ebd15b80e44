/** Operations at the edges of the cost limit (docs/security.md, cost by result size). */

/** Every field of ServiceOffering in the contract, one level deep (no department's services). */
export const EVERY_SERVICE_FIELD = `id code title titleEn summary description tags channels status version publishedAt retiredAt
  category { id code name nameEn kind parent { id code name nameEn kind } }
  department { id code name nameEn parent { id code name nameEn } }
  coDepartments { id code name nameEn }
  eligibility { minAge maxAge requiredTags districts { code name nameEn } }
  stats { upvotes downvotes voteScore ratingCount ratingAverage uses30d views30d }
  viewerVote
  versions {
    serviceId version code title titleEn summary description tags channels status publishedAt validFrom validTo
    supersededByProposalId category { id code name nameEn kind } department { id code name nameEn }
    coDepartments { id code name nameEn } eligibility { minAge maxAge requiredTags districts { code name nameEn } }
  }`;

/** A page of 100 services with every field. */
export const EVERY_FIELD_PAGE = `query EveryField($first: Int = 100) {
  services(first: $first) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${EVERY_SERVICE_FIELD} } } }
}`;

/** A frontend's catalogue page: 37 services with what a card and its detail show. */
export const FRONTEND_PAGE = `query FrontendPage {
  services(first: 37) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id code title titleEn summary description tags channels status publishedAt
      category { id code name nameEn parent { code name } }
      department { id code name nameEn }
      coDepartments { id code name nameEn }
      eligibility { minAge maxAge requiredTags districts { code name } }
      stats { upvotes downvotes voteScore ratingCount ratingAverage uses30d views30d }
    } } }
}`;

/** A page of 100 services with their departments. */
export const SERVICES_WITH_DEPARTMENTS = `{ services(first: 100) { edges { node { id title
  department { id code name nameEn parent { id name } } coDepartments { id code name nameEn } } } } }`;

/** Pages inside pages, sized by a variable: 74,328 objects (16.6 MB) with n = 100 before the cost model. */
export const NESTED_PAGES = `query($n:Int){ departments { services(first:$n){edges{node{department{services(first:$n){edges{node{department{services(first:$n){edges{node{id title summary description}}}}}}}}}}}}}`;

/** NESTED_PAGES four times under aliases. */
export const NESTED_PAGES_ALIASED = `query($n:Int){ ${['a', 'b', 'c', 'd']
  .map(
    (alias) =>
      `${alias}: departments { services(first:$n){edges{node{department{services(first:$n){edges{node{department{services(first:$n){edges{node{id title summary description}}}}}}}}}}}}`,
  )
  .join(' ')} }`;

/** Beyond the contract: a service's guide, and every point that handles it with its week's hours. */
export const GUIDE_FIELDS = `guide { materials { name form count notes } conditions fee { free amount basis }
  legalTimeLimitDays promisedTimeLimitDays where { onlineUrl apps pointKinds venue } consultationPhone legalBasis }`;
export const POINT_FIELDS = `points { code name kind districtCode townshipCode address location { lat long }
  hours { weekday spans } closedOnHolidays phone distanceMeters open }`;

/** A page of `first` services with every field, the guide and, when asked, every point. */
export const everyFieldPageWith = (first: number, extra: string) => `query EveryFieldWith {
  services(first: ${first}) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { ${EVERY_SERVICE_FIELD} ${extra} } } }
}`;
