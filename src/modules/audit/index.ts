import { defineModule } from '../../core/module';
import { AuditResolver } from './audit.resolver';
import { AccessResolver } from './access.resolver';
import { AuditEvent } from './audit-event.entity';
import { AccessEvent } from './access-event.entity';

/** The audit module: what it declares of itself (composed in src/modules/index.ts). */
export const auditModule = defineModule({
  name: 'audit',
  entities: [AuditEvent, AccessEvent],
  resolvers: [AuditResolver, AccessResolver],
});
