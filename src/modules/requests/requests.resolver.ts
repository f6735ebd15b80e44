import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { connectionOf, pageRequest } from '../../core/pagination';
import { ServiceOffering } from '../catalogue/service.entity';
import { Department } from '../departments/department.entity';
import { RequestCase } from './request-case.entity';
import { RequestNote } from './request-note.entity';
import { isOverdue } from './routing';
import { departmentPerformance } from './performance.service';
import { CitizenRequestConnection, DepartmentPerformance, SatisfactionRatingConnection } from './requests.types';
import {
  DepartmentInboxArgs,
  DepartmentRatingsArgs,
  MyRequestsArgs,
  RateOutcomeInput,
  RequestNoteInput,
} from './requests.inputs';
import { SatisfactionRating } from './satisfaction-rating.entity';
import { answerRectification, departmentRatings, isRectificationOverdue, rateOutcome } from './satisfaction.service';
import {
  addCaseNote,
  departmentInbox,
  findVisibleCase,
  listMyRequests,
  moveCase,
  type CaseView,
} from './requests.service';
import { Allow } from '../../core/policy';
import { requestsPolicy } from './requests.policy';

@Resolver(() => RequestCase)
export class RequestCaseResolver {
  @Query(() => CitizenRequestConnection, { description: 'CITIZEN: their own requests and complaints, newest first.' })
  @Allow(requestsPolicy.myRequests)
  async myRequests(@Args() args: MyRequestsArgs, @Ctx() ctx: Context): Promise<CitizenRequestConnection> {
    const page = pageRequest(ctx.cursors, 'myRequests', args, MyRequestsArgs.defaultFirst);
    return connectionOf(ctx.cursors, page, await listMyRequests(ctx, page));
  }

  @Query(() => CitizenRequestConnection, {
    description:
      "STAFF: their department's requests and complaints, the next deadline first; PLANNER, ADMIN: any department's.",
  })
  @Allow(requestsPolicy.departmentInbox)
  async departmentInbox(@Args() args: DepartmentInboxArgs, @Ctx() ctx: Context): Promise<CitizenRequestConnection> {
    const page = pageRequest(ctx.cursors, 'departmentInbox', args, DepartmentInboxArgs.defaultFirst);
    return connectionOf(ctx.cursors, page, await departmentInbox(ctx, { filter: args.filter, ...page }));
  }

  @Query(() => RequestCase, {
    nullable: true,
    description: 'Its citizen, STAFF of its department, PLANNER, ADMIN; else null.',
  })
  @Allow(requestsPolicy.citizenRequest)
  async citizenRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CaseView | null> {
    return findVisibleCase(ctx, id);
  }

  @Mutation(() => RequestCase, { description: "STAFF of the request's department: OPEN → ACKNOWLEDGED." })
  @Allow(requestsPolicy.acknowledgeRequest)
  async acknowledgeRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CaseView> {
    return moveCase(ctx, id, { action: 'ACKNOWLEDGE' });
  }

  @Mutation(() => RequestCase, { description: "STAFF of the request's department: ACKNOWLEDGED → IN_PROGRESS." })
  @Allow(requestsPolicy.startRequest)
  async startRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CaseView> {
    return moveCase(ctx, id, { action: 'START' });
  }

  @Mutation(() => RequestCase, {
    description:
      "STAFF of the request's department: ACKNOWLEDGED or IN_PROGRESS → RESOLVED, with the answer (a public note).",
  })
  @Allow(requestsPolicy.resolveRequest)
  async resolveRequest(
    @Arg('id', () => ID) id: string,
    @Arg('answer') answer: string,
    @Ctx() ctx: Context,
  ): Promise<CaseView> {
    return moveCase(ctx, id, { action: 'RESOLVE', answer });
  }

  @Mutation(() => RequestCase, {
    description: "STAFF of the request's department: an active request → CLOSED, with the reason.",
  })
  @Allow(requestsPolicy.closeRequest)
  async closeRequest(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: Context,
  ): Promise<CaseView> {
    return moveCase(ctx, id, { action: 'CLOSE', reason });
  }

  @Mutation(() => RequestCase, {
    description: "STAFF of the request's department: to another department, with the reason; it is OPEN there.",
  })
  @Allow(requestsPolicy.reassignRequest)
  async reassignRequest(
    @Arg('id', () => ID) id: string,
    @Arg('departmentId', () => ID) departmentId: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: Context,
  ): Promise<CaseView> {
    return moveCase(ctx, id, { action: 'REASSIGN', departmentId, reason });
  }

  @Mutation(() => RequestCase, { description: "STAFF of the request's department: a public or internal note." })
  @Allow(requestsPolicy.addRequestNote)
  async addRequestNote(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RequestNoteInput) input: RequestNoteInput,
    @Ctx() ctx: Context,
  ): Promise<CaseView> {
    return addCaseNote(ctx, id, input);
  }

  @Query(() => [DepartmentPerformance], { description: 'PLANNER, ADMIN: per department, most received first.' })
  @Allow(requestsPolicy.departmentPerformance)
  async departmentPerformance(
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: Context,
  ): Promise<DepartmentPerformance[]> {
    return departmentPerformance(ctx, from, to);
  }

  @Mutation(() => SatisfactionRating, {
    description: 'CITIZEN: 好差评 of a resolved request or a USE, once per item; a bad one opens a rectification.',
  })
  @Allow(requestsPolicy.rateOutcome)
  async rateOutcome(
    @Arg('input', () => RateOutcomeInput) input: RateOutcomeInput,
    @Ctx() ctx: Context,
  ): Promise<SatisfactionRating> {
    return rateOutcome(ctx, input);
  }

  @Mutation(() => SatisfactionRating, {
    description: 'STAFF of the rated department: the required answer to a bad rating.',
  })
  @Allow(requestsPolicy.answerRectification)
  async answerRectification(
    @Arg('id', () => ID) id: string,
    @Arg('answer') answer: string,
    @Ctx() ctx: Context,
  ): Promise<SatisfactionRating> {
    return answerRectification(ctx, id, answer);
  }

  @Query(() => SatisfactionRatingConnection, {
    description:
      "STAFF: the 好差评 of their department's services and handling, newest first, comments redacted; PLANNER, ADMIN: any department's.",
  })
  @Allow(requestsPolicy.departmentRatings)
  async departmentRatings(
    @Args() args: DepartmentRatingsArgs,
    @Ctx() ctx: Context,
  ): Promise<SatisfactionRatingConnection> {
    const page = pageRequest(ctx.cursors, 'departmentRatings', args, DepartmentRatingsArgs.defaultFirst);
    return connectionOf(ctx.cursors, page, await departmentRatings(ctx, { filter: args.filter, ...page }));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The citizen's words; long digit runs (telephone, identity numbers) hidden from anyone else.",
  })
  text(@Root() c: CaseView): string | null {
    return c.text;
  }

  @FieldResolver(() => [RequestNote], { description: 'Oldest first; citizens read the public notes only.' })
  notes(@Root() c: CaseView): RequestNote[] {
    return c.notes;
  }

  @FieldResolver(() => Boolean, {
    description: 'Past the time to acknowledge (while OPEN) or to resolve (while active).',
  })
  overdue(@Root() c: RequestCase): boolean {
    return isOverdue(c, new Date());
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The department handling it.' })
  async department(@Root() c: RequestCase, @Ctx() ctx: Context): Promise<Department | null> {
    return c.departmentId ? ((await ctx.loaders.department.load(c.departmentId)) ?? null) : null;
  }

  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'For a complaint: the service it is about.' })
  async service(@Root() c: RequestCase, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return c.serviceId ? ((await ctx.loaders.service.load(c.serviceId)) ?? null) : null;
  }

  @FieldResolver(() => [ServiceOffering], { description: 'The services the request was answered with, best first.' })
  async offeredServices(@Root() c: RequestCase, @Ctx() ctx: Context): Promise<ServiceOffering[]> {
    const services = await ctx.loaders.service.loadMany(c.offeredServiceIds ?? []);
    return services.filter((s): s is ServiceOffering => s !== null && !(s instanceof Error));
  }
}

@Resolver(() => DepartmentPerformance)
export class DepartmentPerformanceResolver {
  @FieldResolver(() => Department)
  async department(@Root() p: DepartmentPerformance, @Ctx() ctx: Context): Promise<Department> {
    return (await ctx.loaders.department.load(p.departmentId))!;
  }
}

@Resolver(() => SatisfactionRating)
export class SatisfactionRatingResolver {
  @FieldResolver(() => Boolean, { description: 'A rectification past its deadline and not answered.' })
  rectificationOverdue(@Root() r: SatisfactionRating): boolean {
    return isRectificationOverdue(r, new Date());
  }

  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'The service whose outcome was rated.' })
  async service(@Root() r: SatisfactionRating, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return r.serviceId ? ((await ctx.loaders.service.load(r.serviceId)) ?? null) : null;
  }

  @FieldResolver(() => Department, { nullable: true, description: 'The department that answers for it.' })
  async department(@Root() r: SatisfactionRating, @Ctx() ctx: Context): Promise<Department | null> {
    return r.departmentId ? ((await ctx.loaders.department.load(r.departmentId)) ?? null) : null;
  }
}
