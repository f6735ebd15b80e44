import { In } from 'typeorm';
import { inTransaction, requireRole, type Context } from '../../core/context';
import { BadInputError, ForbiddenError, NotFoundError } from '../../core/errors';
import { Role } from '../../core/auth';
import { isUuid } from '../../db/sql';
import { Category } from '../categories/category.entity';
import { CitizenInterest } from './citizen-interest.entity';
import { Citizen } from './citizen.entity';
import type { CitizenProfileInput } from './citizen.inputs';
import { recordAccess, PersonalDataRead } from '../audit/access.service';
import { recordAudit } from '../audit/audit.service';
import { requireDistrict } from '../districts/districts.service';
import { citizensPolicy } from './citizens.policy';
import { upsertProfile } from './citizens.queries';

/**
 * The caller's own profile (CITIZEN) or anyone's (ADMIN); null when there is none. An ADMIN's
 * read is logged as an access event naming the fields asked for.
 */
export async function findCitizen(ctx: Context, id: string, fields: string[] = []): Promise<Citizen | null> {
  const user = requireRole(ctx, ...citizensPolicy.citizen);
  if (user.role === Role.CITIZEN && id.toLowerCase() !== user.id) {
    throw new ForbiddenError('A citizen may read only their own profile');
  }
  if (!isUuid(id)) return null;
  const citizen = (await ctx.loaders.citizen.load(id.toLowerCase())) ?? null;
  if (citizen) await recordAccess(ctx, { citizenId: citizen.id, what: PersonalDataRead.PROFILE, details: { fields } });
  return citizen;
}

/** What a citizen without a profile is told to do (the profile's district decides eligibility and routing). */
export const CREATE_PROFILE_FIRST = 'create your profile first with updateMyProfile (districtCode is required)';

/** The caller's profile, which most citizen actions need. */
export async function requireOwnCitizen(ctx: Context): Promise<Citizen> {
  const user = requireRole(ctx, Role.CITIZEN);
  const citizen = await ctx.loaders.citizen.load(user.id);
  if (!citizen) {
    throw new NotFoundError('Citizen', user.id, 'profile', CREATE_PROFILE_FIRST);
  }
  return citizen;
}

export async function updateMyProfile(ctx: Context, input: CitizenProfileInput): Promise<Citizen> {
  const user = requireRole(ctx, ...citizensPolicy.updateMyProfile);
  if (input.birthYear != null && input.birthYear > new Date().getUTCFullYear()) {
    throw BadInputError.field('input.birthYear', 'max', 'birthYear must not be in the future');
  }
  await requireDistrict(ctx, input.districtCode, 'input.districtCode');
  const interestCodes = input.interestCategoryCodes ? [...new Set(input.interestCategoryCodes)] : null;
  const interests = interestCodes ? await ctx.db.findBy(Category, { code: In(interestCodes) }) : [];
  if (interestCodes) {
    const unknown = interestCodes.find((code) => !interests.some((c) => c.code === code));
    if (unknown) throw new NotFoundError('Category', unknown, 'input.interestCategoryCodes');
  }

  await inTransaction(ctx, async (tx) => {
    // Fields left out of the input keep their stored values; a new profile gets the defaults.
    await upsertProfile(tx.db, {
      id: user.id,
      districtCode: input.districtCode,
      birthYear: input.birthYear ?? null,
      tags: input.tags ? [...new Set(input.tags)].sort() : null,
      personalization: input.personalization ?? null,
      setBirthYear: input.birthYear !== undefined,
    });
    if (interestCodes) {
      await tx.db.delete(CitizenInterest, { citizenId: user.id });
      if (interests.length > 0) {
        await tx.db.insert(
          CitizenInterest,
          interests.map((c) => ({ citizenId: user.id, categoryId: c.id })),
        );
      }
    }
    await recordAudit(tx, {
      action: 'citizen.profile.update',
      targetType: 'citizen',
      targetId: user.id,
      details: { ...input },
    });
  });
  ctx.loaders.citizen.clear(user.id);
  ctx.loaders.citizenInterestIds.clear(user.id);
  return (await ctx.loaders.citizen.load(user.id))!;
}
