import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { IdempotencyKeyArg } from '../idempotency/idempotency-key';
import type { Context } from '../../core/context';
import { RequestOutcome, ServiceMatch, ServiceMatchConnection } from './matching.types';
import { MatchRequestArgs, RecommendedServicesArgs, RequestInput } from './matching.inputs';
import { recommendServices } from './recommendation.service';
import { matchRequest, submitRequest } from './request-matching.service';
import { locateRequest } from '../service-points/locate-request';
import { Allow } from '../../core/policy';
import { matchingPolicy } from './matching.policy';

@Resolver()
export class MatchingResolver {
  @Query(() => ServiceMatchConnection, {
    description:
      "Services ranked for one citizen: the caller (CITIZEN), or citizenId for PLANNER/ADMIN. Only services the citizen is eligible for; each with its reasons. With the citizen's personalization off, the ranking uses no personal data.",
  })
  @Allow(matchingPolicy.recommendedServices)
  async recommendedServices(
    @Args() args: RecommendedServicesArgs,
    @Ctx() ctx: Context,
  ): Promise<ServiceMatchConnection> {
    return recommendServices(ctx, { ...args, first: args.first ?? RecommendedServicesArgs.defaultFirst });
  }

  @Query(() => [ServiceMatch], { description: 'Which published services meet a free-text need. Records nothing.' })
  async matchRequest(@Args() args: MatchRequestArgs, @Ctx() ctx: Context): Promise<ServiceMatch[]> {
    const origin = await locateRequest(ctx, args);
    const matches = await matchRequest(ctx, { ...args, districtCode: origin.districtCode, first: args.first ?? 5 });
    return matches.map((match) => ({ ...match, origin }));
  }

  @Mutation(() => RequestOutcome, {
    description: 'CITIZEN: records a free-text need as a REQUEST signal and returns the services that meet it.',
  })
  @Allow(matchingPolicy.submitRequest)
  async submitRequest(
    @Arg('input', () => RequestInput) input: RequestInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
  ): Promise<RequestOutcome> {
    return submitRequest(ctx, input, idempotencyKey);
  }
}
