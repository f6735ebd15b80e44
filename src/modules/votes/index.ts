import { defineModule } from '../../core/module';
import { VoteResolver } from './vote.resolver';
import { Vote } from './vote.entity';
import { Rating } from './rating.entity';
import { createViewerVoteLoader } from './vote.loader';

/** The votes module: what it declares of itself (composed in src/modules/index.ts). */
export const votesModule = defineModule({
  name: 'votes',
  entities: [Vote, Rating],
  resolvers: [VoteResolver],
  createLoaders: (db, user) => ({
    viewerVote: createViewerVoteLoader(db, user),
  }),
});
