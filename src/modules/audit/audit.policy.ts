import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the audit module (resolver and service read this). */
export const auditPolicy = definePolicy('audit', {
  auditEvents: [Role.AUDITOR, Role.ADMIN],
  /** AUDITOR only: ADMIN's own reads are logged there (docs/security.md). */
  accessEvents: [Role.AUDITOR],
});
