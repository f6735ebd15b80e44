import { IsOptional, Matches } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection, PaginationArgs } from '../../core/pagination';
import { CaseStatus } from './case-state';
import { SatisfactionLevel } from './satisfaction';
import { RequestCase } from './request-case.entity';
import { SatisfactionRating } from './satisfaction-rating.entity';

export const CitizenRequestConnection = Connection('CitizenRequest', RequestCase);
export type CitizenRequestConnection = InstanceType<typeof CitizenRequestConnection>;

@ArgsType()
export class MyRequestsArgs extends PaginationArgs(20) {}

export const SatisfactionRatingConnection = Connection('SatisfactionRating', SatisfactionRating);
export type SatisfactionRatingConnection = InstanceType<typeof SatisfactionRatingConnection>;

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

@ObjectType({ simpleResolvers: true, description: "A department's handling of requests and complaints over a window." })
export class DepartmentPerformance {
  departmentId: string;

  @Field(() => Int, { description: 'Cases routed to it (now held by it) opened in the window.' })
  received: number;

  @Field(() => Int)
  acknowledged: number;

  @Field(() => Int)
  acknowledgedOnTime: number;

  @Field(() => Int)
  resolved: number;

  @Field(() => Int)
  resolvedOnTime: number;

  @Field(() => Int, { description: "The window's cases overdue now." })
  overdue: number;

  @Field(() => Float, { nullable: true })
  medianAcknowledgeHours: number | null;

  @Field(() => Float, { nullable: true })
  medianResolveHours: number | null;

  @Field(() => Int, { description: 'Satisfaction ratings given in the window.' })
  ratings: number;

  @Field(() => Int)
  badRatings: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of ratings that are not 不满意 or 非常不满意; null without ratings.',
  })
  satisfactionRate: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The window's bad ratings whose rectification is unanswered past its deadline now; null in a report stored before it was counted.",
  })
  rectificationsOverdue: number | null;
}
