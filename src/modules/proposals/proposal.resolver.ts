import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { buildPage } from '../../core/pagination';
import { Category } from '../categories/category.entity';
import { Eligibility } from '../catalogue/catalogue.types';
import { ServiceOffering } from '../catalogue/service.entity';
import { Department } from '../departments/department.entity';
import type { District } from '../districts/district.entity';
import { Proposal } from './proposal.entity';
import { ProposalInput, ProposalsArgs } from './proposal.inputs';
import { ReviewDecision } from './proposal-state';
import { DemandEvidence, ServiceProposalConnection, SimilarService } from './proposal.types';
import {
  createProposal,
  demandEvidence,
  findVisibleProposal,
  listProposals,
  reviewProposal,
  similarServices,
  submitProposal,
  updateProposal,
  withdrawProposal,
} from './proposals.service';
import { Review } from './review.entity';

const READERS = [Role.STAFF, Role.REVIEWER, Role.PLANNER, Role.ADMIN];

@Resolver(() => Proposal)
export class ProposalResolver {
  @Query(() => ServiceProposalConnection, { description: "STAFF see their department's proposals; REVIEWER, PLANNER, ADMIN see all." })
  @Authorized(...READERS)
  async proposals(@Args() args: ProposalsArgs, @Ctx() ctx: Context): Promise<ServiceProposalConnection> {
    const listing = 'proposals';
    const offset = ctx.cursors.decode(listing, args.after);
    const result = await listProposals(ctx, { filter: args.filter, first: args.first ?? 20, offset });
    return { ...buildPage(ctx.cursors, listing, result.nodes, offset, result.hasNextPage), totalCount: result.totalCount };
  }

  @Query(() => Proposal, { nullable: true })
  @Authorized(...READERS)
  async proposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Proposal | null> {
    return findVisibleProposal(ctx, id);
  }

  @Mutation(() => Proposal, {
    description: "STAFF: a new service, or a revision of an existing one (replacesServiceId), for the caller's department.",
  })
  @Authorized(Role.STAFF)
  async createProposal(
    // Validated in the service, with the checks only the database can make, in one error.
    @Arg('input', () => ProposalInput, { validate: false }) input: ProposalInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description:
        'A key of the caller (or the Idempotency-Key header): a retry with it answers with the first outcome ' +
        'and stores nothing twice; kept 24 h.',
    })
    idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<Proposal> {
    return createProposal(ctx, input, idempotencyKey);
  }

  @Mutation(() => Proposal, { description: 'STAFF of the proposing department, while DRAFT or CHANGES_REQUESTED.' })
  @Authorized(Role.STAFF)
  async updateProposal(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ProposalInput, { validate: false }) input: ProposalInput,
    @Ctx() ctx: Context,
  ): Promise<Proposal> {
    return updateProposal(ctx, id, input);
  }

  @Mutation(() => Proposal, { description: 'STAFF of the proposing department: DRAFT or CHANGES_REQUESTED → SUBMITTED.' })
  @Authorized(Role.STAFF)
  async submitProposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Proposal> {
    return submitProposal(ctx, id);
  }

  @Mutation(() => Proposal, { description: 'STAFF of the proposing department: DRAFT, SUBMITTED or CHANGES_REQUESTED → WITHDRAWN.' })
  @Authorized(Role.STAFF)
  async withdrawProposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Proposal> {
    return withdrawProposal(ctx, id);
  }

  @Mutation(() => Proposal, {
    description:
      'REVIEWER with a dept (never the proposing department). APPROVE publishes the service, or its new version, in the same transaction; REJECT and REQUEST_CHANGES need a comment.',
  })
  @Authorized(Role.REVIEWER)
  async reviewProposal(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ReviewDecision) decision: ReviewDecision,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: Context,
  ): Promise<Proposal> {
    return reviewProposal(ctx, id, decision, comment);
  }

  @FieldResolver(() => Category)
  async category(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<Category> {
    return (await ctx.loaders.category.load(proposal.categoryId))!;
  }

  @FieldResolver(() => Department)
  async department(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<Department> {
    return (await ctx.loaders.department.load(proposal.departmentId))!;
  }

  @FieldResolver(() => [Department])
  async coDepartments(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<Department[]> {
    const departments = await ctx.loaders.department.loadMany(proposal.coDepartmentIds);
    return departments.filter((d): d is Department => d instanceof Department);
  }

  @FieldResolver(() => Eligibility)
  async eligibility(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<Eligibility> {
    const districts = await ctx.loaders.district.loadMany(proposal.districtCodes);
    return {
      minAge: proposal.minAge,
      maxAge: proposal.maxAge,
      requiredTags: proposal.requiredTags,
      districts: districts.filter((d): d is District => d !== undefined),
    };
  }

  @FieldResolver(() => ServiceOffering, { nullable: true })
  async replaces(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return proposal.replacesServiceId ? ((await ctx.loaders.service.load(proposal.replacesServiceId)) ?? null) : null;
  }

  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'The published service, once approved.' })
  async service(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return proposal.serviceId ? ((await ctx.loaders.service.load(proposal.serviceId)) ?? null) : null;
  }

  @FieldResolver(() => [SimilarService], { description: 'Published services that overlap with this proposal, most similar first.' })
  async similarServices(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<SimilarService[]> {
    return similarServices(ctx, proposal);
  }

  @FieldResolver(() => DemandEvidence, { description: 'Recent unmet requests that this proposal would meet.' })
  async demandEvidence(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<DemandEvidence> {
    return demandEvidence(ctx, proposal);
  }

  @FieldResolver(() => [Review])
  async reviews(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<Review[]> {
    return ctx.loaders.proposalReviews.load(proposal.id);
  }
}
