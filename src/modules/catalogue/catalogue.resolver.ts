import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { forReading, type Context } from '../../core/context';
import { connectionOf, pageRequest } from '../../core/pagination';
import { selectedFieldNames } from '../../core/selection';
import { validateArgs } from '../../core/validation';
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';
import { VoteValue } from '../votes/vote-value';
import { ServiceOrder } from './catalogue.enums';
import { findVisibleService, listServices } from './catalogue.service';
import { ServicesArgs } from './catalogue.inputs';
import { Eligibility, ServiceOfferingConnection } from './catalogue.types';
import { ServiceStats, toServiceStats } from './service-stats';
import { serviceColumnsFor } from './service-row';
import { ServiceOffering } from './service.entity';
import { ServiceGuide } from '../guides/guide.types';
import { ServicePointView } from '../service-points/service-point.types';
import { toView } from '../service-points/service-points.service';
import { eligibilityOf } from './eligibility.view';

@Resolver(() => ServiceOffering)
export class CatalogueResolver {
  @Query(() => ServiceOfferingConnection, {
    description: 'The catalogue. Anyone may read published services; RETIRED ones need a staff role.',
  })
  async services(
    @Args({ validate: false }) unchecked: ServicesArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ServiceOfferingConnection> {
    const args = await validateArgs(unchecked);
    const page = pageRequest(ctx.cursors, 'services', args, ServicesArgs.defaultFirst);
    const fields = selectedFieldNames(info, ['edges', 'node']);
    const result = await listServices(forReading(ctx), {
      filter: args.filter,
      orderBy: args.orderBy ?? ServiceOrder.RELEVANCE,
      offset: page.offset,
      limit: page.limit,
      columns: serviceColumnsFor(fields),
      withCounters: fields.includes('stats'),
    });
    return connectionOf(ctx.cursors, page, result);
  }

  @Query(() => ServiceOffering, { nullable: true })
  async service(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ServiceOffering | null> {
    return findVisibleService(ctx, id);
  }

  // category, department and stats answer without a promise what the request already holds
  // (the process's copy of the reference tables, the counters read with the page): a page
  // of 20 services resolves them 60 times.
  @FieldResolver(() => Category)
  category(@Root() service: ServiceOffering, @Ctx() ctx: Context): Category | Promise<Category> {
    const { category } = ctx.loaders;
    return category.peek(service.categoryId) ?? category.load(service.categoryId).then((found) => found!);
  }

  @FieldResolver(() => Department, { description: 'The lead department, answerable for the service.' })
  department(@Root() service: ServiceOffering, @Ctx() ctx: Context): Department | Promise<Department> {
    const { department } = ctx.loaders;
    return department.peek(service.departmentId) ?? department.load(service.departmentId).then((found) => found!);
  }

  @FieldResolver(() => [Department], { description: 'Departments that provide it jointly (one window).' })
  async coDepartments(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<Department[]> {
    const ids = await ctx.loaders.coDepartmentIds.load(service.id);
    const departments = await ctx.loaders.department.loadMany(ids);
    return departments.filter((d): d is Department => d instanceof Department);
  }

  @FieldResolver(() => ServiceGuide, {
    nullable: true,
    description: 'What to bring, cost, time limits and where to go.',
  })
  guide(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<ServiceGuide | null> {
    return ctx.loaders.serviceGuide.load(service.id);
  }

  @FieldResolver(() => [ServicePointView], { description: 'Service windows that handle it (open flags as of now).' })
  async points(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<ServicePointView[]> {
    const now = new Date();
    return (await ctx.loaders.servicePoints.load(service.id)).map((point) => toView(point, now));
  }

  @FieldResolver(() => Eligibility)
  async eligibility(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<Eligibility> {
    return eligibilityOf(ctx, service);
  }

  @FieldResolver(() => ServiceStats)
  stats(@Root() service: ServiceOffering, @Ctx() ctx: Context): ServiceStats | Promise<ServiceStats> {
    const counters = ctx.loaders.serviceCounters.peek(service.id);
    if (counters) return toServiceStats(counters);
    return ctx.loaders.serviceCounters.load(service.id).then(toServiceStats);
  }

  @FieldResolver(() => VoteValue, { nullable: true, description: "The caller's own vote, for a CITIZEN." })
  async viewerVote(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<VoteValue | null> {
    return ctx.loaders.viewerVote.load(service.id);
  }
}
