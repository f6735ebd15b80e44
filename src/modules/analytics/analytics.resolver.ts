import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import { forReading, type Context } from '../../core/context';
import { selectsField } from '../../core/selection';
import { DemandTrend, DemandTrendsArgs, Granularity, UnmetDemandArgs, UnmetDemandCluster } from './analytics.types';
import { demandTrends } from './trends.service';
import { unmetDemand } from './unmet.service';
import { Allow } from '../../core/policy';
import { analyticsPolicy } from './analytics.policy';

@Resolver()
export class AnalyticsResolver {
  @Query(() => [DemandTrend], {
    description: 'PLANNER, ADMIN, STAFF. Counts of demand signals over time, split by the chosen dimensions.',
  })
  @Allow(analyticsPolicy.demandTrends)
  async demandTrends(
    @Args() args: DemandTrendsArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DemandTrend[]> {
    return demandTrends(forReading(ctx), {
      filter: args.filter,
      granularity: args.granularity ?? Granularity.WEEK,
      groupBy: args.groupBy ?? [],
      countCitizens: selectsField(info, ['points', 'citizens']),
      allowEstimates: args.allowEstimates === true,
    });
  }

  @Query(() => [UnmetDemandCluster], {
    description:
      'PLANNER, ADMIN, STAFF. Free-text requests in the window that no published service meets, clustered by topic, largest first.',
  })
  @Allow(analyticsPolicy.unmetDemand)
  async unmetDemand(@Args() args: UnmetDemandArgs, @Ctx() ctx: Context): Promise<UnmetDemandCluster[]> {
    return unmetDemand(forReading(ctx), {
      from: args.from,
      to: args.to,
      districtCode: args.districtCode ?? null,
      first: args.first ?? 20,
    });
  }
}
