import { DataLoader } from '../../core/dataloader';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { isUuid } from '../../db/sql';
import { Role, type AuthUser } from '../../core/auth';
import { Vote } from './vote.entity';
import type { VoteValue } from './vote-value';

/** The calling citizen's vote on each service; null for everyone else. */
export function createViewerVoteLoader(db: EntityManager, user: AuthUser | null) {
  return new DataLoader<string, VoteValue | null>(async (serviceIds) => {
    if (!user || user.role !== Role.CITIZEN) return serviceIds.map(() => null);
    const votes = await db.findBy(Vote, { citizenId: user.id, serviceId: In(serviceIds.filter(isUuid)) });
    const byService = new Map(votes.map((v) => [v.serviceId, v.value]));
    return serviceIds.map((id) => byService.get(id) ?? null);
  });
}
