import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../core/context';
import { ServiceOffering } from '../catalogue/service.entity';
import { VoteValue } from './vote-value';
import { VotePayload } from './vote.types';
import { castVote, rateService } from './votes.service';
import { Allow } from '../../core/policy';
import { votesPolicy } from './votes.policy';

@Resolver()
export class VoteResolver {
  @Mutation(() => VotePayload, { description: 'CITIZEN: one vote per citizen and service; null clears the vote.' })
  @Allow(votesPolicy.vote)
  async vote(
    @Arg('serviceId', () => ID) serviceId: string,
    @Arg('value', () => VoteValue, { nullable: true }) value: VoteValue | null,
    @Ctx() ctx: Context,
  ): Promise<VotePayload> {
    return castVote(ctx, serviceId, value ?? null);
  }

  @Mutation(() => ServiceOffering, {
    description: 'CITIZEN: 1 to 5 stars; a later rating by the same citizen replaces the earlier one.',
  })
  @Allow(votesPolicy.rateService)
  async rateService(
    @Arg('serviceId', () => ID) serviceId: string,
    @Arg('stars', () => Int) stars: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: Context,
  ): Promise<ServiceOffering> {
    return rateService(ctx, serviceId, stars, comment);
  }
}
