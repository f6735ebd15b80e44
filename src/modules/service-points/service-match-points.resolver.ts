import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context';
import { BadInputError } from '../../core/errors';
import { ServiceMatch } from '../matching/matching.types';
import { nearbyOpenPoints, type MatchOrigin } from './nearby';
import { toView } from './service-points.service';
import { ServicePointView } from './service-point.types';

/** A match as matchRequest answers it, with where the citizen said they are. */
export type LocatedMatch = ServiceMatch & { origin?: MatchOrigin };

@Resolver(() => ServiceMatch)
export class ServiceMatchPointsResolver {
  @FieldResolver(() => [ServicePointView], {
    description:
      'matchRequest and submitRequest: the open points that handle the service nearest to `near` (with distances), or in ' +
      "the district given or named in the text (我在花溪区…); for submitRequest, else the citizen's district. Empty when nothing says where.",
  })
  async nearbyOpenPoints(
    @Root() match: LocatedMatch,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 3 }) first: number,
    @Arg('openAt', () => Date, { nullable: true, description: 'Open at this instant; now by default.' })
    openAt?: Date | null,
  ): Promise<ServicePointView[]> {
    if (first < 1 || first > 20) throw BadInputError.field('first', 'range', 'first must be from 1 to 20');
    if (!match.origin) return [];
    const instant = openAt ?? new Date();
    const points = await ctx.loaders.servicePoints.load(match.service.id);
    return nearbyOpenPoints(points, match.origin, instant, first).map((p) =>
      toView(p.point, instant, p.distanceMetres),
    );
  }
}
