import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Need } from '../needs/needs.types';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MAX_PAGE_SIZE } from '../../core/pagination';
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

@InputType()
export class DemandFilter {
  @Field(() => Date, { description: 'Start of the window; the window covers every city day it overlaps.' })
  from: Date;

  @Field(() => Date, { description: 'End of the window (exclusive); at most two years after from.' })
  to: Date;

  @Field(() => String, { nullable: true, description: 'A parent category includes its children.' })
  @IsOptional()
  @MaxLength(64)
  categoryCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => [SignalKind], { nullable: true, description: 'Null or empty: every kind.' })
  @IsOptional()
  @ArrayMaxSize(Object.keys(SignalKind).length)
  kinds?: SignalKind[] | null;

  @Field(() => AgeBand, { nullable: true })
  @IsOptional()
  ageBand?: AgeBand | null;
}

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

@ArgsType()
export class DemandTrendsArgs {
  @Field(() => DemandFilter)
  @ValidateNested()
  filter: DemandFilter;

  @Field(() => Granularity, { nullable: true, defaultValue: Granularity.WEEK })
  granularity?: Granularity | null;

  @Field(() => [DemandDimension], { nullable: true, defaultValue: [] })
  @IsOptional()
  @ArrayMaxSize(Object.keys(DemandDimension).length * 2)
  groupBy?: DemandDimension[] | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Allow estimated citizens where an exact count would read every citizen of the window: two or more of category, age band and kind together. The estimate comes from the exact counts of each dimension alone, and such trends say exact: false. Without it, every count is exact.',
  })
  @IsOptional()
  allowEstimates?: boolean | null;
}

@ArgsType()
export class UnmetDemandArgs {
  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 20 })
  @IsOptional()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number | null;
}
