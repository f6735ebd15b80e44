import { IsOptional, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { MAX_PAGE_SIZE, PaginationArgs } from '../../core/pagination';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { LatLongInput } from '../service-points/service-point.inputs';

@ArgsType()
export class RecommendedServicesArgs extends PaginationArgs(10) {
  @Field(() => ID, { nullable: true, description: 'For PLANNER and ADMIN: whose ranking. A CITIZEN gets their own.' })
  @IsOptional()
  @IsUUID()
  citizenId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only services of this category (a parent includes its children).',
  })
  @IsOptional()
  @MinLength(1)
  @MaxLength(64)
  categoryCode?: string | null;
}

@ArgsType()
export class MatchRequestArgs {
  @Field()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  text: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => LatLongInput, {
    nullable: true,
    description: 'GPS position (WGS-84): its district, when districtCode is not given, and nearbyOpenPoints.',
  })
  @IsOptional()
  @ValidateNested()
  near?: LatLongInput | null;

  @Field(() => Int, { nullable: true, defaultValue: 5 })
  @IsOptional()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number | null;
}

@InputType()
export class RequestInput {
  @Field()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  text: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Where the need is: else the district of `near`, else one the text names (我在花溪区…), else the citizen's district.",
  })
  @IsOptional()
  @MinLength(1)
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(64)
  categoryCode?: string | null;

  @Field(() => LatLongInput, {
    nullable: true,
    description:
      'GPS position (WGS-84) of the citizen: its district (point in polygon) when districtCode is not given, and ' +
      "each match's nearbyOpenPoints, nearest first. A position outside the city is refused.",
  })
  @IsOptional()
  @ValidateNested()
  near?: LatLongInput | null;
}
