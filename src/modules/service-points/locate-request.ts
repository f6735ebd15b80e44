import type { Context } from '../../core/context';
import { districtAtGps } from '../../geo/districts';
import type { LatLong } from '../../geo/geometry';
import { BadInputError } from '../../core/errors';
import { districtNamedIn, type MatchOrigin } from './nearby';
import { districtNames } from './service-points.queries';

/**
 * Where a free-text request places the citizen: the district given, else the district of the
 * GPS position, else one the text names (我在花溪区…). Eligibility by district uses it.
 * With `nearField`, a position outside every district (and no district given) is refused
 * under that field rather than ignored.
 */
export async function locateRequest(
  ctx: Context,
  args: { text: string; districtCode?: string | null; near?: LatLong | null },
  options: { nearField?: string } = {},
): Promise<MatchOrigin> {
  const near = args.near ?? null;
  let districtCode = args.districtCode ?? (near ? districtAtGps(near) : null);
  if (near && !args.districtCode && !districtCode && options.nearField) {
    throw BadInputError.field(
      options.nearField,
      'insideCity',
      `${options.nearField} (WGS-84) lies outside Guiyang: send districtCode instead`,
    );
  }
  if (!districtCode) {
    const districts = await districtNames(ctx.db);
    districtCode = districtNamedIn(args.text, districts);
  }
  return { near, districtCode };
}
