import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Role, STAFF_ROLES } from '../../core/auth';
import type { Context } from '../../core/context';
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';
import type { District } from '../districts/district.entity';
import { retireService, serviceVersions } from './catalogue-admin.service';
import { Eligibility } from './catalogue.types';
import { ServiceVersion } from './service-version.entity';
import { ServiceOffering } from './service.entity';

/** What staff do to the catalogue besides proposals: retire services, read their versions. */
@Resolver(() => ServiceOffering)
export class CatalogueAdminResolver {
  @Mutation(() => ServiceOffering, { description: 'STAFF of the lead department, or ADMIN.' })
  @Authorized(Role.STAFF, Role.ADMIN)
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
  @Authorized(...STAFF_ROLES)
  async versions(@Root() service: ServiceOffering, @Ctx() ctx: Context): Promise<ServiceVersion[]> {
    return serviceVersions(ctx, service);
  }
}

@Resolver(() => ServiceVersion)
export class ServiceVersionResolver {
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
    const districts = await ctx.loaders.district.loadMany(version.districtCodes);
    return {
      minAge: version.minAge,
      maxAge: version.maxAge,
      requiredTags: version.requiredTags,
      districts: districts.filter((d): d is District => d !== undefined),
    };
  }
}
