import { IsOptional, Matches } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { Connection, PaginationArgs } from '../../graphql/pagination';
import { CaseStatus } from './case-state';
import { RequestCase } from './request-case.entity';

export const CitizenRequestConnection = Connection('CitizenRequest', RequestCase);
export type CitizenRequestConnection = InstanceType<typeof CitizenRequestConnection>;

@ArgsType()
export class MyRequestsArgs extends PaginationArgs(20) {}

@InputType()
export class InboxFilter {
  @Field(() => ID, { nullable: true, description: 'PLANNER and ADMIN: whose inbox (all departments without it). STAFF: their own.' })
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

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Internal notes are read by departments only.' })
  internal?: boolean | null;
}
