import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context';
import { District } from './district.entity';

@Resolver(() => District)
export class DistrictResolver {
  @Query(() => [District])
  async districts(@Ctx() ctx: Context): Promise<District[]> {
    return ctx.db.find(District, { order: { sortOrder: 'ASC', code: 'ASC' } });
  }
}
