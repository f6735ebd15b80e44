import { defineModule } from '../../core/module';
import { CitizenResolver } from './citizen.resolver';
import { ViewerResolver } from './viewer.resolver';
import { Citizen } from './citizen.entity';
import { CitizenInterest } from './citizen-interest.entity';
import { createCitizenLoader, createCitizenInterestIdsLoader } from './citizen.loader';

/** The citizens module: what it declares of itself (composed in src/modules/index.ts). */
export const citizensModule = defineModule({
  name: 'citizens',
  entities: [Citizen, CitizenInterest],
  resolvers: [ViewerResolver, CitizenResolver],
  createLoaders: (db) => ({
    citizen: createCitizenLoader(db),
    citizenInterestIds: createCitizenInterestIdsLoader(db),
  }),
});
