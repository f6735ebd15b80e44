import { wilsonLowerBound } from '../catalogue/service-stats';
import type { Candidate } from './scoring';

/** A service's votes and ratings, as counted. */
export type VotesAndRatings = Pick<Candidate, 'upvotes' | 'downvotes' | 'ratingCount' | 'ratingSum'>;

/** The city's share of up votes and mean rating, over all published services. */
export interface CityStanding {
  upShare: number;
  meanRating: number;
}

/**
 * Votes and ratings (see voteEvidence, ratingEvidence): each service's are shrunk towards the
 * city's mean by a prior worth this many votes or ratings, and count only by how far the
 * shrunk value stands out of its own uncertainty (this many standard deviations).
 */
export const STANDING = {
  priorVotes: 10,
  priorRatings: 10,
  credibleDeviations: 1,
  /** The spread of one citizen's stars around a service's mean, in stars. */
  ratingSpread: 1,
  /** Fewer ratings than this never earn the praise "评价较好". */
  praiseMinRatings: 5,
  /** "居民点赞较多" needs the Wilson lower bound of the up share above this: clearly more up than down. */
  praiseMinUpShare: 0.5,
  /** Without votes or ratings in the city. */
  defaultUpShare: 0.5,
  defaultMeanRating: 3.5,
};

/** The city's up share and mean rating over `services`' votes and ratings (defaults without any). */
export function cityStandingOf(services: Iterable<VotesAndRatings>): CityStanding {
  let up = 0;
  let down = 0;
  let count = 0;
  let sum = 0;
  for (const s of services) {
    up += s.upvotes;
    down += s.downvotes;
    count += s.ratingCount;
    sum += s.ratingSum;
  }
  // Kept off 0 and 1, where a Beta prior would have no room on one side.
  const upShare = up + down > 0 ? Math.min(0.95, Math.max(0.05, up / (up + down))) : STANDING.defaultUpShare;
  return { upShare, meanRating: count > 0 ? sum / count : STANDING.defaultMeanRating };
}

/** The signed part of `gap` beyond `deviations` standard deviations `sd`; 0 within them. */
function credibleExcess(gap: number, sd: number): number {
  const excess = Math.abs(gap) - STANDING.credibleDeviations * sd;
  return excess > 0 ? Math.sign(gap) * excess : 0;
}

/**
 * How far a service's up share stands above (positive) or below (negative) the city's, −1 to 1:
 * the mean of a Beta posterior whose prior is centred on the city's share with the strength of
 * `priorVotes` votes, less one posterior standard deviation; 0 while the votes are too few to
 * tell the service from the city (one vote never counts).
 */
export function voteEvidence(upvotes: number, downvotes: number, cityUpShare: number): number {
  if (upvotes + downvotes === 0) return 0;
  const a = STANDING.priorVotes * cityUpShare + upvotes;
  const b = STANDING.priorVotes * (1 - cityUpShare) + downvotes;
  const mean = a / (a + b);
  return credibleExcess(mean - cityUpShare, Math.sqrt((mean * (1 - mean)) / (a + b + 1)));
}

/**
 * How far a service's ratings stand above or below the city's mean, in quarters of the 1–5
 * scale (−1 to 1): the Bayesian average towards the city's mean with `priorRatings` ratings'
 * weight, less its standard deviation; 0 while the ratings are too few to tell.
 */
export function ratingEvidence(ratingCount: number, ratingSum: number, cityMeanRating: number): number {
  if (ratingCount === 0) return 0;
  const weight = ratingCount + STANDING.priorRatings;
  const mean = (ratingSum + STANDING.priorRatings * cityMeanRating) / weight;
  return credibleExcess(mean - cityMeanRating, STANDING.ratingSpread / Math.sqrt(weight)) / 4;
}

/**
 * What a service's votes and ratings say of it against the city's means, signed: the sum of
 * their evidence, a positive part counted only where it is praiseworthy (see praisedVotes).
 */
export function standingEvidence(c: VotesAndRatings, city: CityStanding): number {
  return praisedVotes(c, city) + praisedRatings(c, city);
}

/** The praise a service's votes earn: a positive share only with clearly more up than down. */
export function praisedVotes(c: VotesAndRatings, city: CityStanding): number {
  const evidence = voteEvidence(c.upvotes, c.downvotes, city.upShare);
  return evidence > 0 && wilsonLowerBound(c.upvotes, c.downvotes) <= STANDING.praiseMinUpShare ? 0 : evidence;
}
/** The praise a service's ratings earn: a positive share only from enough ratings. */
export function praisedRatings(c: VotesAndRatings, city: CityStanding): number {
  const evidence = ratingEvidence(c.ratingCount, c.ratingSum, city.meanRating);
  return evidence > 0 && c.ratingCount < STANDING.praiseMinRatings ? 0 : evidence;
}
