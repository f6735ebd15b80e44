import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IdempotencyKeyArg } from '../idempotency/idempotency-key';
import type { Context } from '../../core/context';
import { connectionOf, pageRequest } from '../../core/pagination';
import { Category } from '../categories/category.entity';
import { Eligibility } from '../catalogue/catalogue.types';
import { ServiceOffering } from '../catalogue/service.entity';
import { Department } from '../departments/department.entity';
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
import { toServiceGuide } from '../guides/guide';
import { ServiceGuide } from '../guides/guide.types';

import { Allow } from '../../core/policy';
import { proposalsPolicy } from './proposals.policy';
import { eligibilityOf } from '../catalogue/eligibility.view';

@Resolver(() => Proposal)
export class ProposalResolver {
  @Query(() => ServiceProposalConnection, {
    description: "STAFF see their department's proposals; REVIEWER, PLANNER, ADMIN see all.",
  })
  @Allow(proposalsPolicy.proposals)
  async proposals(@Args() args: ProposalsArgs, @Ctx() ctx: Context): Promise<ServiceProposalConnection> {
    const page = pageRequest(ctx.cursors, 'proposals', args, ProposalsArgs.defaultFirst);
    return connectionOf(ctx.cursors, page, await listProposals(ctx, { filter: args.filter, ...page }));
  }

  @Query(() => Proposal, { nullable: true })
  @Allow(proposalsPolicy.proposal)
  async proposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Proposal | null> {
    return findVisibleProposal(ctx, id);
  }

  @Mutation(() => Proposal, {
    description:
      "STAFF: a new service, or a revision of an existing one (replacesServiceId), for the caller's department.",
  })
  @Allow(proposalsPolicy.createProposal)
  async createProposal(
    // Validated in the service, with the checks only the database can make, in one error.
    @Arg('input', () => ProposalInput, { validate: false }) input: ProposalInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<Proposal> {
    return createProposal(ctx, input, idempotencyKey);
  }

  @Mutation(() => Proposal, { description: 'STAFF of the proposing department, while DRAFT or CHANGES_REQUESTED.' })
  @Allow(proposalsPolicy.updateProposal)
  async updateProposal(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ProposalInput, { validate: false }) input: ProposalInput,
    @Ctx() ctx: Context,
  ): Promise<Proposal> {
    return updateProposal(ctx, id, input);
  }

  @Mutation(() => Proposal, {
    description: 'STAFF of the proposing department: DRAFT or CHANGES_REQUESTED → SUBMITTED.',
  })
  @Allow(proposalsPolicy.submitProposal)
  async submitProposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Proposal> {
    return submitProposal(ctx, id);
  }

  @Mutation(() => Proposal, {
    description: 'STAFF of the proposing department: DRAFT, SUBMITTED or CHANGES_REQUESTED → WITHDRAWN.',
  })
  @Allow(proposalsPolicy.withdrawProposal)
  async withdrawProposal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Proposal> {
    return withdrawProposal(ctx, id);
  }

  @Mutation(() => Proposal, {
    description:
      'REVIEWER with a dept (never the proposing department). APPROVE publishes the service, or its new version, in the same transaction; REJECT and REQUEST_CHANGES need a comment.',
  })
  @Allow(proposalsPolicy.reviewProposal)
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
    return eligibilityOf(ctx, proposal);
  }

  @FieldResolver(() => ServiceGuide, {
    nullable: true,
    description: 'The guide approval publishes; null keeps the current one.',
  })
  guide(@Root() proposal: Proposal): ServiceGuide | null {
    return proposal.guideData ? toServiceGuide(proposal.guideData) : null;
  }

  @FieldResolver(() => ServiceOffering, { nullable: true })
  async replaces(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return proposal.replacesServiceId ? ((await ctx.loaders.service.load(proposal.replacesServiceId)) ?? null) : null;
  }

  @FieldResolver(() => ServiceOffering, { nullable: true, description: 'The published service, once approved.' })
  async service(@Root() proposal: Proposal, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return proposal.serviceId ? ((await ctx.loaders.service.load(proposal.serviceId)) ?? null) : null;
  }

  @FieldResolver(() => [SimilarService], {
    description: 'Published services that overlap with this proposal, most similar first.',
  })
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
