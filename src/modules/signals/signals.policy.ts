import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the signals module (resolver and service read this). */
export const signalsPolicy = definePolicy('signals', {
  recordSignals: [Role.CITIZEN],
});
