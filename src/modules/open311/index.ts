import { defineModule } from '../../core/module';
import { open311Router } from './open311.routes';

/** The open311 module: what it declares of itself (composed in src/modules/index.ts). */
export const open311Module = defineModule({
  name: 'open311',
  routes: [{ path: '/open311/v2', router: open311Router }],
});
