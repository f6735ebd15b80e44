import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { Category } from './category.entity';

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: 'Every category, each parent before its children.' })
  async categories(@Ctx() ctx: Context): Promise<Category[]> {
    const categories = await ctx.db.find(Category, { order: { sortOrder: 'ASC', code: 'ASC' } });
    for (const category of categories) ctx.loaders.category.prime(category.id, category);
    return categories;
  }

  @FieldResolver(() => Category, { nullable: true })
  async parent(@Root() category: Category, @Ctx() ctx: Context): Promise<Category | null> {
    return category.parentId ? ((await ctx.loaders.category.load(category.parentId)) ?? null) : null;
  }
}
