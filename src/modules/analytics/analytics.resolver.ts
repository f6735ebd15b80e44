import type { GraphQLResolveInfo } from 'graphql';
import { Args, Authorized, Ctx, Info, Query, Resolver } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { selectsField } from '../../core/selection';
import { DemandTrend, DemandTrendsArgs, Granularity, UnmetDemandArgs, UnmetDemandCluster } from './analytics.types';
import { demandTrends } from './trends.service';
import { unmetDemand } from './unmet.service';

@Resolver()
export class AnalyticsResolver {
  @Query(() => [DemandTrend], { description: 'PLANNER, ADMIN, STAFF. Counts of demand signals over time, split by the chosen dimensions.' })
  @Authorized(Role.PLANNER, Role.ADMIN, Role.STAFF)
  async demandTrends(@Args() args: DemandTrendsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<DemandTrend[]> {
    return demandTrends(ctx, {
      filter: args.filter,
      granularity: args.granularity ?? Granularity.WEEK,
      groupBy: args.groupBy ?? [],
      countCitizens: selectsField(info, ['points', 'citizens']),
    });
  }

  @Query(() => [UnmetDemandCluster], {
    description: 'PLANNER, ADMIN, STAFF. Free-text requests in the window that no published service meets, clustered by topic, largest first.',
  })
  @Authorized(Role.PLANNER, Role.ADMIN, Role.STAFF)
  async unmetDemand(@Args() args: UnmetDemandArgs, @Ctx() ctx: Context): Promise<UnmetDemandCluster[]> {
    return unmetDemand(ctx, { from: args.from, to: args.to, districtCode: args.districtCode ?? null, first: args.first ?? 20 });
  }
}
