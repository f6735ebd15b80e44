import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';
import { retireService, serviceVersions } from './catalogue-admin.service';
import { Eligibility } from './catalogue.types';
import { parseGuide, toServiceGuide } from '../guides/guide';
import { ServiceGuide } from '../guides/guide.types';
import { ServiceVersion } from './service-version.entity';
import { ServiceOffering } from './service.entity';
import { Allow } from '../../core/policy';
import { cataloguePolicy } from './catalogue.policy';
import { eligibilityOf } from './eligibility.view';

/** What staff do to the catalogue besides proposals: retire services, read their versions. */
@Resolver(() => ServiceOffering)
export class CatalogueAdminResolver {
  @Mutation(() => ServiceOffering, { description: 'STAFF of the lead department, or ADMIN.' })
  @Allow(cataloguePolicy.retireService)
  async retireService(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: Context,
  ): Promise<ServiceOffering> {
    return retireService(ctx, id, reason);
  }

  @FieldResolver(() => [ServiceVersion], {
    description: 'Staff roles: every version of the service, newest first; the current one has no validTo.',
  })
  @Allow(cataloguePolicy.versions)
  async versions(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<ServiceVersion[]> {
    return serviceVersions(ctx, service);
  }
}

@Resolver(() => ServiceVersion)
export class ServiceVersionResolver {
  @FieldResolver(() => ServiceGuide, { nullable: true, description: 'The guide of this version, as it was.' })
  async guide(@Root() version: ServiceVersion, @Ctx() ctx: Context): Promise<ServiceGuide | null> {
    if (version.validTo === null) return ctx.loaders.serviceGuide.load(version.serviceId);
    const data = parseGuide(version.guideData);
    return data ? toServiceGuide(data) : null;
  }

  @FieldResolver(() => Category)
  async category(@Root() version: ServiceVersion, @Ctx() ctx: Context): Promise<Category> {
    return (await ctx.loaders.category.load(version.categoryId))!;
  }

  @FieldResolver(() => Department, { description: 'The lead department.' })
  async department(@Root() version: ServiceVersion, @Ctx() ctx: Context): Promise<Department> {
    return (await ctx.loaders.department.load(version.departmentId))!;
  }

  @FieldResolver(() => [Department])
  async coDepartments(@Root() version: ServiceVersion, @Ctx() ctx: Context): Promise<Department[]> {
    const departments = await ctx.loaders.department.loadMany(version.coDepartmentIds);
    return departments.filter((d): d is Department => d instanceof Department);
  }

  @FieldResolver(() => Eligibility)
  async eligibility(@Root() version: ServiceVersion, @Ctx() ctx: Context): Promise<Eligibility> {
    return eligibilityOf(ctx, version);
  }
}
