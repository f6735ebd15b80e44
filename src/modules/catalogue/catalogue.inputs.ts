import { ArrayMaxSize, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
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
