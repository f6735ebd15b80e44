import type { Context } from '../../core/context';
import { NotFoundError } from '../../core/errors';
import type { District } from './district.entity';

/** The district of `code`, or NOT_FOUND naming the input `field` that gave it. */
export async function requireDistrict(ctx: Context, code: string, field: string): Promise<District> {
  const district = await ctx.loaders.district.load(code);
  if (!district) throw new NotFoundError('District', code, field);
  return district;
}
