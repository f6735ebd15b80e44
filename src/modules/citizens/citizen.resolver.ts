import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { selectedFieldNames } from '../../core/selection';
import type { Context } from '../../core/context';
import { Category } from '../categories/category.entity';
import { District } from '../districts/district.entity';
import { AgeBand, ageBandOf } from './age-band';
import { Citizen } from './citizen.entity';
import { CitizenProfileInput } from './citizen.inputs';
import { findCitizen, updateMyProfile } from './citizens.service';
import { Allow } from '../../core/policy';
import { citizensPolicy } from './citizens.policy';

@Resolver(() => Citizen)
export class CitizenResolver {
  @Query(() => Citizen, {
    nullable: true,
    description: "The caller's own profile (CITIZEN), or any citizen's for ADMIN.",
  })
  @Allow(citizensPolicy.citizen)
  async citizen(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Citizen | null> {
    return findCitizen(ctx, id, selectedFieldNames(info));
  }

  @Mutation(() => Citizen, {
    description: "CITIZEN: creates or updates the caller's own profile (its id is the token's sub).",
  })
  @Allow(citizensPolicy.updateMyProfile)
  async updateMyProfile(
    @Arg('input', () => CitizenProfileInput) input: CitizenProfileInput,
    @Ctx() ctx: Context,
  ): Promise<Citizen> {
    return updateMyProfile(ctx, input);
  }

  @FieldResolver(() => District)
  async district(@Root() citizen: Citizen, @Ctx() ctx: Context): Promise<District> {
    return (await ctx.loaders.district.load(citizen.districtCode))!;
  }

  @FieldResolver(() => AgeBand, { nullable: true })
  ageBand(@Root() citizen: Citizen): AgeBand | null {
    return ageBandOf(citizen.birthYear);
  }

  @FieldResolver(() => [Category])
  async interests(@Root() citizen: Citizen, @Ctx() ctx: Context): Promise<Category[]> {
    const ids = await ctx.loaders.citizenInterestIds.load(citizen.id);
    const categories = await ctx.loaders.category.loadMany(ids);
    return categories.filter((c): c is Category => c instanceof Category);
  }
}
