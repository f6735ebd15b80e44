import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { isUuid } from '../../db/sql';
import { findServicePoints } from './service-points.service';
import { ServicePointView } from './service-point.types';
import { ServicePointsArgs } from './service-point.inputs';

@Resolver(() => ServicePointView)
export class ServicePointResolver {
  @Query(() => [ServicePointView], {
    description: 'Service windows, nearest first from `near` (GPS, WGS-84) with distances, else by code.',
  })
  servicePoints(@Args() args: ServicePointsArgs, @Ctx() ctx: Context): Promise<ServicePointView[]> {
    if (args.serviceId && !isUuid(args.serviceId)) {
      throw BadInputError.field('serviceId', 'isUuid', 'serviceId must be a service id');
    }
    return findServicePoints(ctx.db, { ...args, openAt: args.openAt ?? new Date() });
  }
}
