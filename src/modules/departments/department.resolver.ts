import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { connectionOf, pageRequest, PaginationArgs } from '../../core/pagination';
import { ServiceOfferingConnection } from '../catalogue/catalogue.types';
import { Department } from './department.entity';

const DepartmentServicesArgs = PaginationArgs(20);
type DepartmentServicesArgs = InstanceType<typeof DepartmentServicesArgs>;

@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => [Department], { description: 'Every department, each parent before its children.' })
  async departments(@Ctx() ctx: Context): Promise<Department[]> {
    const departments = await ctx.readDb.find(Department, { order: { sortOrder: 'ASC', code: 'ASC' } });
    for (const department of departments) ctx.loaders.department.prime(department.id, department);
    return departments;
  }

  @Query(() => Department, { nullable: true })
  async department(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Department | null> {
    return (await ctx.loaders.department.load(id)) ?? null;
  }

  @FieldResolver(() => Department, { nullable: true })
  async parent(@Root() department: Department, @Ctx() ctx: Context): Promise<Department | null> {
    return department.parentId ? ((await ctx.loaders.department.load(department.parentId)) ?? null) : null;
  }

  @FieldResolver(() => ServiceOfferingConnection, { description: 'Published services the department leads, by title.' })
  async services(
    @Root() department: Department,
    @Args(() => DepartmentServicesArgs) args: DepartmentServicesArgs,
    @Ctx() ctx: Context,
  ): Promise<ServiceOfferingConnection> {
    const page = pageRequest(
      ctx.cursors,
      `department-services:${department.id}`,
      args,
      DepartmentServicesArgs.defaultFirst,
    );
    const found = await ctx.loaders.departmentServices.load({
      departmentId: department.id,
      offset: page.offset,
      limit: page.limit,
    });
    for (const node of found.nodes) ctx.loaders.service.prime(node.id, node);
    return connectionOf(ctx.cursors, page, found);
  }
}
