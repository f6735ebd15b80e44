import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { seededNeedsModel } from '../needs/needs-data';
import { Need } from '../needs/needs.types';
import { forReading, type Context } from '../../core/context';
import { connectionOf, pageRequest } from '../../core/pagination';
import type { Category } from '../categories/category.entity';
import { ServiceOffering } from '../catalogue/service.entity';
import { Department } from '../departments/department.entity';
import { District } from '../districts/district.entity';
import { UnmetDemandCluster } from '../analytics/analytics.types';
import { CatalogueReport, CatalogueReportConnection, Finding } from './report.types';
import { CatalogueReportArgs, CatalogueReportsArgs, GenerateCatalogueReportArgs } from './report.inputs';
import { findReport, generateReport, listReports } from './reports.service';
import { Allow } from '../../core/policy';
import { reportsPolicy } from './reports.policy';

type CatalogueReportsArgs = InstanceType<typeof CatalogueReportsArgs>;

const present = <T>(values: (T | undefined | null)[]): T[] => values.filter((v): v is T => v != null);

@Resolver(() => CatalogueReport)
export class CatalogueReportResolver {
  @Query(() => CatalogueReportConnection, { description: 'PLANNER, ADMIN, STAFF. Newest first.' })
  @Allow(reportsPolicy.catalogueReports)
  async catalogueReports(
    @Args(() => CatalogueReportsArgs) args: CatalogueReportsArgs,
    @Ctx() ctx: Context,
  ): Promise<CatalogueReportConnection> {
    const page = pageRequest(ctx.cursors, 'catalogue-reports', args, CatalogueReportsArgs.defaultFirst);
    return connectionOf(ctx.cursors, page, await listReports(forReading(ctx), page));
  }

  @Query(() => CatalogueReport, { nullable: true })
  @Allow(reportsPolicy.catalogueReport)
  async catalogueReport(@Args() { id }: CatalogueReportArgs, @Ctx() ctx: Context): Promise<CatalogueReport | null> {
    return findReport(forReading(ctx), id);
  }

  @Mutation(() => CatalogueReport, {
    description:
      'PLANNER, ADMIN: builds and stores a report for the period now; scheduled runs also build one per period.',
  })
  @Allow(reportsPolicy.generateCatalogueReport)
  async generateCatalogueReport(
    @Args() { periodStart, periodEnd }: GenerateCatalogueReportArgs,
    @Ctx() ctx: Context,
  ): Promise<CatalogueReport> {
    return generateReport(ctx, periodStart, periodEnd);
  }

  @FieldResolver(() => CatalogueReport, {
    nullable: true,
    description: 'The report of the period before, for comparison.',
  })
  async previous(@Root() report: CatalogueReport, @Ctx() ctx: Context): Promise<CatalogueReport | null> {
    return report.previousId ? ((await ctx.loaders.catalogueReport.load(report.previousId)) ?? null) : null;
  }
}

@Resolver(() => Finding)
export class FindingResolver {
  @FieldResolver(() => [ServiceOffering])
  async services(@Root() finding: Finding, @Ctx() ctx: Context): Promise<ServiceOffering[]> {
    return present(await ctx.loaders.service.loadMany(finding.serviceIds));
  }

  @FieldResolver(() => [District])
  async districts(@Root() finding: Finding, @Ctx() ctx: Context): Promise<District[]> {
    return present(await ctx.loaders.district.loadMany(finding.districtCodes));
  }

  @FieldResolver(() => [Department], {
    description:
      "For ADD_SERVICE: the departments responsible for the cluster's need (seeds/needs); " +
      'for a cluster of no known need, those whose services are in its category.',
  })
  async departments(@Root() finding: Finding, @Ctx() ctx: Context): Promise<Department[]> {
    return present(await ctx.loaders.department.loadMany(finding.departmentIds ?? []));
  }

  @FieldResolver(() => UnmetDemandCluster, { nullable: true })
  async cluster(@Root() finding: Finding, @Ctx() ctx: Context): Promise<UnmetDemandCluster | null> {
    const c = finding.cluster;
    if (!c) return null;
    const [category, districts, closest] = await Promise.all([
      c.categoryId ? ctx.loaders.category.load(c.categoryId) : Promise.resolve(undefined),
      ctx.loaders.district.loadMany(c.districts.map((d) => d.code)),
      c.closestServiceId ? ctx.loaders.service.load(c.closestServiceId) : Promise.resolve(undefined),
    ]);
    return {
      id: c.id,
      label: c.label,
      keywords: c.keywords,
      requestCount: c.requestCount,
      searchCount: c.searchCount ?? 0,
      citizenCount: c.citizenCount,
      category: (category as Category | undefined) ?? null,
      districts: c.districts.flatMap((d, i) => {
        const district = districts[i];
        return district ? [{ district, count: d.count }] : [];
      }),
      sampleRequests: c.sampleRequests,
      closestService: closest ?? null,
      closestScore: closest ? c.closestScore : null,
      need: needOfCode(c.needCode),
    };
  }
}

function needOfCode(code: string | null | undefined): Need | null {
  const need = code ? seededNeedsModel().need(code) : undefined;
  return need ? Need.of(need) : null;
}
