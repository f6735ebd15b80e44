import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../core/pagination';
import { RequestCase } from './request-case.entity';
import { SatisfactionRating } from './satisfaction-rating.entity';

export const CitizenRequestConnection = Connection('CitizenRequest', RequestCase);
export type CitizenRequestConnection = InstanceType<typeof CitizenRequestConnection>;

export const SatisfactionRatingConnection = Connection('SatisfactionRating', SatisfactionRating);
export type SatisfactionRatingConnection = InstanceType<typeof SatisfactionRatingConnection>;

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
