import type { Context } from '../../core/context';
import type { District } from '../districts/district.entity';
import type { Eligibility } from './catalogue.types';

/** The eligibility rules a service, a version of it or a proposal carries. */
export interface EligibilityRules {
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  districtCodes: string[];
}

/** The `eligibility` field of a service, a service version and a proposal: its districts loaded. */
export async function eligibilityOf(ctx: Context, rules: EligibilityRules): Promise<Eligibility> {
  const districts = await ctx.loaders.district.loadMany(rules.districtCodes);
  return {
    minAge: rules.minAge,
    maxAge: rules.maxAge,
    requiredTags: rules.requiredTags,
    districts: districts.filter((d): d is District => d !== undefined),
  };
}
