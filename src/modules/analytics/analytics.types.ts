import { Need } from '../needs/needs.types';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category } from '../categories/category.entity';
import { ServiceOffering } from '../catalogue/service.entity';
import { AgeBand } from '../citizens/age-band';
import { District } from '../districts/district.entity';
import { SignalKind } from '../signals/signal-kind';

export enum Granularity {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(Granularity, {
  name: 'Granularity',
  description: 'Periods of the city calendar (Asia/Shanghai); weeks start on Monday.',
});

export enum DemandDimension {
  CATEGORY = 'CATEGORY',
  DISTRICT = 'DISTRICT',
  AGE_BAND = 'AGE_BAND',
  KIND = 'KIND',
}
registerEnumType(DemandDimension, { name: 'DemandDimension' });

@ObjectType({ simpleResolvers: true })
export class TrendPoint {
  @Field(() => Date, { description: 'When the period begins: midnight in Asia/Shanghai of its first day.' })
  periodStart: Date;

  @Field(() => Int)
  signals: number;

  @Field(() => Int, {
    description: "Distinct citizens in the period: exact, unless the trend's `exact` is false (then estimated).",
  })
  citizens: number;
}

@ObjectType({ simpleResolvers: true })
export class DemandTrend {
  @Field(() => Category, { nullable: true })
  category: Category | null;

  @Field(() => District, { nullable: true })
  district: District | null;

  @Field(() => AgeBand, { nullable: true })
  ageBand: AgeBand | null;

  @Field(() => SignalKind, { nullable: true })
  kind: SignalKind | null;

  @Field(() => Int)
  total: number;

  @Field(() => Boolean, {
    description:
      "False when the points' citizens are estimated (asked for with allowEstimates); signals, total and change are always exact.",
  })
  exact: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'Relative change of the second half of the window against the first; null when the first is 0.',
  })
  change: number | null;

  @Field(() => [TrendPoint])
  points: TrendPoint[];
}

@ObjectType({ simpleResolvers: true })
export class DistrictCount {
  @Field(() => District)
  district: District;

  @Field(() => Int)
  count: number;
}

@ObjectType({ simpleResolvers: true })
export class UnmetDemandCluster {
  @Field(() => ID, { description: 'Stable: a hash of the keywords.' })
  id: string;

  @Field()
  label: string;

  @Field(() => [String])
  keywords: string[];

  @Field(() => Int, { description: 'Requests and failed searches in the cluster.' })
  requestCount: number;

  @Field(() => Int, {
    description: 'How many of requestCount are catalogue searches whose query nothing published met well enough.',
  })
  searchCount: number;

  @Field(() => Int)
  citizenCount: number;

  @Field(() => Category, { nullable: true })
  category: Category | null;

  @Field(() => [DistrictCount])
  districts: DistrictCount[];

  @Field(() => [String])
  sampleRequests: string[];

  @Field(() => Need, {
    nullable: true,
    description:
      'The need most of its requests express (seeds/needs), when at least half do; null for a topic of no known need.',
  })
  need: Need | null;

  @Field(() => ServiceOffering, {
    nullable: true,
    description: 'The closest published service, which still does not meet the need.',
  })
  closestService: ServiceOffering | null;

  @Field(() => Float, { nullable: true })
  closestScore: number | null;
}
