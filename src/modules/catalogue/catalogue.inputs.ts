import {
  ArrayMaxSize,
  ArrayUnique,
  IsIn,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { CITIZEN_TAGS } from '../citizens/citizen-tags';
import { PaginationArgs } from '../../core/pagination';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { ServiceOrder, ServiceStatus } from './catalogue.enums';

@InputType()
export class ServiceFilter {
  @Field(() => String, { nullable: true, description: 'Free text, simplified or traditional Chinese or English.' })
  @IsOptional()
  @MaxLength(MAX_TEXT_LENGTH)
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'A category; a parent category includes its children.' })
  @IsOptional()
  @MaxLength(64)
  categoryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Services available to residents of this district.' })
  @IsOptional()
  @MaxLength(6)
  districtCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Services this department leads or co-provides.' })
  @IsOptional()
  @IsUUID()
  departmentId?: string | null;

  @Field(() => ServiceStatus, { nullable: true, description: 'PUBLISHED by default; RETIRED needs a staff role.' })
  @IsOptional()
  status?: ServiceStatus | null;

  @Field(() => [String], { nullable: true, description: 'Services carrying every one of these tags.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(40, { each: true })
  tags?: string[] | null;
}

@ArgsType()
export class ServicesArgs extends PaginationArgs(20) {
  @Field(() => ServiceFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ServiceFilter | null;

  @Field(() => ServiceOrder, { nullable: true, defaultValue: ServiceOrder.RELEVANCE })
  orderBy?: ServiceOrder | null;
}

@InputType()
export class EligibilityInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(150)
  minAge?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(150)
  maxAge?: number | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(CITIZEN_TAGS.length)
  @ArrayUnique()
  @IsIn(CITIZEN_TAGS, { each: true, message: `each required tag must be one of ${CITIZEN_TAGS.join(', ')}` })
  requiredTags?: string[] | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^\d{6}$/, { each: true, message: 'each district code must be six digits' })
  districtCodes?: string[] | null;
}
