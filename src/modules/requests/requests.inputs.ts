import { IsOptional, Matches } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PaginationArgs } from '../../core/pagination';
import { CaseStatus } from './case-state';
import { SatisfactionLevel } from './satisfaction';

@ArgsType()
export class MyRequestsArgs extends PaginationArgs(20) {}

@InputType()
export class RatingFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'PLANNER and ADMIN: whose ratings (all departments without it). STAFF: their own.',
  })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Ratings of outcomes of this service.' })
  serviceId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only bad ratings (不满意, 非常不满意): those with a rectification.',
  })
  badOnly?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Only rectifications not answered yet.' })
  unanswered?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only rectifications past their deadline and unanswered (true), or all others (false).',
  })
  rectificationOverdue?: boolean | null;
}

@ArgsType()
export class DepartmentRatingsArgs extends PaginationArgs(20) {
  @Field(() => RatingFilter, { nullable: true })
  filter?: RatingFilter | null;
}

@InputType()
export class InboxFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'PLANNER and ADMIN: whose inbox (all departments without it). STAFF: their own.',
  })
  departmentId?: string | null;

  @Field(() => [CaseStatus], { nullable: true })
  status?: CaseStatus[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only overdue (true) or only on time (false).' })
  overdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Complaints about this service, or requests it was offered for.' })
  serviceId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\d{6}$/)
  districtCode?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Complaints about the department's services (STAFF: their own department's) whoever handles them, instead of the cases it handles.",
  })
  aboutOwnServices?: boolean | null;
}

@ArgsType()
export class DepartmentInboxArgs extends PaginationArgs(20) {
  @Field(() => InboxFilter, { nullable: true })
  filter?: InboxFilter | null;
}

@InputType()
export class RequestNoteInput {
  @Field()
  text: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Internal notes are read by departments only.',
  })
  internal?: boolean | null;
}

@InputType()
export class RateOutcomeInput {
  @Field(() => ID, { nullable: true, description: 'A RESOLVED request or complaint of the caller.' })
  requestId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A USE signal of the caller.' })
  useSignalId?: string | null;

  @Field(() => SatisfactionLevel)
  level: SatisfactionLevel;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}
