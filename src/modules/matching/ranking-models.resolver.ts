import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context';
import { activateRankingModel, listRankingModels, rankingModelView } from './ranking-models';
import { RankingModel } from './ranking-models.types';
import { Allow } from '../../core/policy';
import { matchingPolicy } from './matching.policy';

@Resolver()
export class RankingModelsResolver {
  @Query(() => [RankingModel], {
    description:
      'PLANNER/ADMIN: the fitted ranking models, newest first (at most 50), with their windows and evaluation.',
  })
  @Allow(matchingPolicy.rankingModels)
  async rankingModels(@Ctx() ctx: Context): Promise<RankingModel[]> {
    return (await listRankingModels(ctx)).map(rankingModelView);
  }

  @Mutation(() => RankingModel, {
    nullable: true,
    description:
      'ADMIN: makes a fitted model the one recommendedServices ranks with (a roll back is activating an older one); ' +
      'id null returns to the default weights (answers null). Audited.',
  })
  @Allow(matchingPolicy.activateRankingModel)
  async activateRankingModel(
    @Arg('id', () => Int, { nullable: true }) id: number | null,
    @Ctx() ctx: Context,
  ): Promise<RankingModel | null> {
    const row = await activateRankingModel(ctx, id ?? null);
    return row && rankingModelView(row);
  }
}
