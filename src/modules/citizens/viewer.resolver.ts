import { Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { Department } from '../departments/department.entity';
import { Citizen } from './citizen.entity';

@ObjectType({ simpleResolvers: true })
export class Viewer {
  @Field(() => ID)
  id: string;

  @Field(() => Role)
  role: Role;

  departmentId: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { nullable: true, description: 'The caller, or null without a token.' })
  viewer(@Ctx() ctx: Context): Viewer | null {
    return ctx.user ? { id: ctx.user.id, role: ctx.user.role, departmentId: ctx.user.departmentId } : null;
  }

  @FieldResolver(() => Citizen, { nullable: true })
  async citizen(@Root() viewer: Viewer, @Ctx() ctx: Context): Promise<Citizen | null> {
    if (viewer.role !== Role.CITIZEN) return null;
    return (await ctx.loaders.citizen.load(viewer.id)) ?? null;
  }

  @FieldResolver(() => Department, { nullable: true })
  async department(@Root() viewer: Viewer, @Ctx() ctx: Context): Promise<Department | null> {
    return viewer.departmentId ? ((await ctx.loaders.department.load(viewer.departmentId)) ?? null) : null;
  }
}
