import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { activateRankingModel, listRankingModels, rankingModelView } from './ranking-models';
import { RankingModel } from './ranking-models.types';

@Resolver()
export class RankingModelsResolver {
  @Query(() => [RankingModel], {
    description: 'PLANNER/ADMIN: the fitted ranking models, newest first (at most 50), with their windows and evaluation.',
  })
  @Authorized(Role.PLANNER, Role.ADMIN)
  async rankingModels(@Ctx() ctx: Context): Promise<RankingModel[]> {
    return (await listRankingModels(ctx)).map(rankingModelView);
  }

  @Mutation(() => RankingModel, {
    nullable: true,
    description:
      'ADMIN: makes a fitted model the one recommendedServices ranks with (a roll back is activating an older one); ' +
      'id null returns to the default weights (answers null). Audited.',
  })
  @Authorized(Role.ADMIN)
  async activateRankingModel(@Arg('id', () => Int, { nullable: true }) id: number | null, @Ctx() ctx: Context): Promise<RankingModel | null> {
    const row = await activateRankingModel(ctx, id ?? null);
    return row && rankingModelView(row);
  }
}
