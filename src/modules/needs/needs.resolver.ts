import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { ServiceOffering } from '../catalogue/service.entity';
import { Department } from '../departments/department.entity';
import { seededNeedsModel } from './needs-data';
import { LifeEvent, Need } from './needs.types';

const present = <T>(values: (T | Error | undefined | null)[]): T[] =>
  values.filter((v): v is T => v !== undefined && v !== null && !(v instanceof Error));

/** Published services of the codes, in their order, through the request's DataLoader. */
async function publishedServices(ctx: Context, codes: readonly string[]): Promise<ServiceOffering[]> {
  return present(await ctx.loaders.publishedServiceByCode.loadMany([...new Set(codes)]));
}

@Resolver(() => Need)
export class NeedResolver {
  @FieldResolver(() => [ServiceOffering], { description: 'The published services that meet it; empty for a gap.' })
  async services(@Root() need: Need, @Ctx() ctx: Context): Promise<ServiceOffering[]> {
    return publishedServices(ctx, need.serviceCodes);
  }

  @FieldResolver(() => [Department], { description: 'The departments responsible for it, met or not.' })
  async departments(@Root() need: Need, @Ctx() ctx: Context): Promise<Department[]> {
    return present(await ctx.loaders.departmentByCode.loadMany(need.departmentCodes));
  }
}

@Resolver(() => LifeEvent)
export class LifeEventResolver {
  @Query(() => [LifeEvent], {
    description:
      'Public. Life events (出生、退休、身后事 …) with their needs and the services that together settle them.',
  })
  lifeEvents(): LifeEvent[] {
    return seededNeedsModel().lifeEvents.map(LifeEvent.of);
  }

  @FieldResolver(() => [Need])
  needs(@Root() event: LifeEvent): Need[] {
    return seededNeedsModel().needsOfLifeEvent(event.code).map(Need.of);
  }

  @FieldResolver(() => [ServiceOffering], {
    description: '一件事一次办: the published services across departments that together settle it, once each, by need.',
  })
  async services(@Root() event: LifeEvent, @Ctx() ctx: Context): Promise<ServiceOffering[]> {
    return publishedServices(
      ctx,
      seededNeedsModel()
        .needsOfLifeEvent(event.code)
        .flatMap((n) => n.services),
    );
  }

  @FieldResolver(() => [Department], { description: 'The lead departments of its published services, once each.' })
  async departments(@Root() event: LifeEvent, @Ctx() ctx: Context): Promise<Department[]> {
    const services = await this.services(event, ctx);
    const ids = [...new Set(services.map((s) => s.departmentId))];
    return present(await ctx.loaders.department.loadMany(ids));
  }
}
