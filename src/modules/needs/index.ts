import { defineModule } from '../../core/module';
import { LifeEventResolver, NeedResolver } from './needs.resolver';
import { LearnedAssociationRow } from './learned-association.entity';

/** The needs module: what it declares of itself (composed in src/modules/index.ts). */
export const needsModule = defineModule({
  name: 'needs',
  entities: [LearnedAssociationRow],
  resolvers: [LifeEventResolver, NeedResolver],
});
