import { Field, Float, Int, ObjectType } from 'type-graphql';

const Z = 1.96; // 95% interval

/** Lower bound of the Wilson score interval of the share of up votes; 0 without votes. */
export function wilsonLowerBound(upvotes: number, downvotes: number, z = Z): number {
  const n = upvotes + downvotes;
  if (n === 0) return 0;
  const p = upvotes / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** SQL twin of `wilsonLowerBound` (z = 1.96), created by the migrations as a function. */
export const WILSON_SQL_FUNCTION = 'wilson_lower_bound';

export function ratingAverage(count: number, sum: number): number | null {
  return count === 0 ? null : sum / count;
}

@ObjectType({ simpleResolvers: true })
export class ServiceStats {
  @Field(() => Int)
  upvotes: number;

  @Field(() => Int)
  downvotes: number;

  @Field(() => Float, {
    description: 'Lower bound of the Wilson 95% interval of the share of up votes; 0 without votes.',
  })
  voteScore: number;

  @Field(() => Int)
  ratingCount: number;

  @Field(() => Float, { nullable: true })
  ratingAverage: number | null;

  @Field(() => Int, {
    description:
      'Citizen-days of use in the last 30 city days: each citizen counts once a day, however many USE signals they send.',
  })
  uses30d: number;

  @Field(() => Int, { description: 'Citizen-days of views in the last 30 city days, as uses30d.' })
  views30d: number;
}

export interface ServiceCounters {
  upvotes: number;
  downvotes: number;
  ratingCount: number;
  ratingSum: number;
  uses30d: number;
  views30d: number;
}

export function toServiceStats(c: ServiceCounters): ServiceStats {
  return {
    upvotes: c.upvotes,
    downvotes: c.downvotes,
    voteScore: wilsonLowerBound(c.upvotes, c.downvotes),
    ratingCount: c.ratingCount,
    ratingAverage: ratingAverage(c.ratingCount, c.ratingSum),
    uses30d: c.uses30d,
    views30d: c.views30d,
  };
}

export const ZERO_COUNTERS: ServiceCounters = {
  upvotes: 0,
  downvotes: 0,
  ratingCount: 0,
  ratingSum: 0,
  uses30d: 0,
  views30d: 0,
};
