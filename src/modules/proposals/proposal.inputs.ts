import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { MAX_TEXT_LENGTH } from '../../core/limits';
import { PaginationArgs } from '../../core/pagination';
import { Channel } from '../catalogue/catalogue.enums';
import { EligibilityInput } from '../catalogue/catalogue.inputs';
import { ServiceGuideInput } from '../guides/guide.inputs';
import { ProposalStatus } from './proposal-state';
import { VISIBLE_CHARACTER } from '../../text';

const NOT_BLANK = VISIBLE_CHARACTER;

@InputType()
export class ProposalInput {
  @Field()
  @MinLength(2)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(300)
  titleEn?: string | null;

  @Field()
  @MinLength(5)
  @MaxLength(MAX_TEXT_LENGTH)
  @Matches(NOT_BLANK, { message: 'summary must not be blank' })
  summary: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_TEXT_LENGTH)
  description?: string | null;

  @Field({ description: 'A second-level category, e.g. community.elderly.' })
  @MaxLength(64)
  categoryCode: string;

  @Field(() => [String], { nullable: true, description: 'Keywords that help citizens find the service.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @MinLength(1, { each: true })
  @MaxLength(40, { each: true })
  tags?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Departments that will provide the service jointly; not the proposing one.',
  })
  @IsOptional()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  coDepartmentIds?: string[] | null;

  @Field(() => [Channel])
  @ArrayNotEmpty()
  @ArrayUnique()
  channels: Channel[];

  @Field(() => EligibilityInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  eligibility?: EligibilityInput | null;

  @Field(() => String, { nullable: true, description: 'Why the service is needed: free text, ideally citing demand.' })
  @IsOptional()
  @MaxLength(MAX_TEXT_LENGTH)
  rationale?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set to propose a new version of an existing service of the same department.',
  })
  @IsOptional()
  @IsUUID()
  replacesServiceId?: string | null;

  @Field(() => ServiceGuideInput, {
    nullable: true,
    description:
      'The service guide approval publishes with the service (a new version of it for a revision). ' +
      'Null keeps the current guide of the service replaced.',
  })
  @IsOptional()
  @ValidateNested()
  guide?: ServiceGuideInput | null;
}

@InputType()
export class ProposalFilter {
  @Field(() => ProposalStatus, { nullable: true })
  @IsOptional()
  status?: ProposalStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  departmentId?: string | null;
}

@ArgsType()
export class ProposalsArgs extends PaginationArgs(20) {
  @Field(() => ProposalFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: ProposalFilter | null;
}
