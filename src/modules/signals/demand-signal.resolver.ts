import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { Category } from '../categories/category.entity';
import { ServiceOffering } from '../catalogue/service.entity';
import { District } from '../districts/district.entity';
import { SignalRow } from './signal.entity';

@Resolver(() => SignalRow)
export class DemandSignalResolver {
  @FieldResolver(() => ServiceOffering, { nullable: true })
  async service(@Root() signal: SignalRow, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return signal.serviceId ? ((await ctx.loaders.service.load(signal.serviceId)) ?? null) : null;
  }

  @FieldResolver(() => Category, { nullable: true })
  async category(@Root() signal: SignalRow, @Ctx() ctx: Context): Promise<Category | null> {
    return signal.categoryId ? ((await ctx.loaders.category.load(signal.categoryId)) ?? null) : null;
  }

  @FieldResolver(() => District)
  async district(@Root() signal: SignalRow, @Ctx() ctx: Context): Promise<District> {
    return (await ctx.loaders.district.load(signal.districtCode))!;
  }
}
