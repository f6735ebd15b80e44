import { defineModule } from '../../core/module';

/** The idempotency module: what it declares of itself (composed in src/modules/index.ts). */
export const idempotencyModule = defineModule({
  name: 'idempotency',
});
