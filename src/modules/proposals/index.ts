import { defineModule } from '../../core/module';
import { ProposalResolver } from './proposal.resolver';
import { Proposal } from './proposal.entity';
import { Review } from './review.entity';
import { createProposalReviewsLoader, createRecentUnmetRequestsLoader } from './proposal.loader';

/** The proposals module: what it declares of itself (composed in src/modules/index.ts). */
export const proposalsModule = defineModule({
  name: 'proposals',
  entities: [Proposal, Review],
  resolvers: [ProposalResolver],
  createLoaders: (db) => ({
    proposalReviews: createProposalReviewsLoader(db),
    recentUnmetRequests: createRecentUnmetRequestsLoader(db),
  }),
});
