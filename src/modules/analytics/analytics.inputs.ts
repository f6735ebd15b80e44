import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { MAX_PAGE_SIZE } from '../../core/pagination';
import { AgeBand } from '../citizens/age-band';
import { SignalKind } from '../signals/signal-kind';
import { Granularity, DemandDimension } from './analytics.types';

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
