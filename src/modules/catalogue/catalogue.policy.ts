import { Role, STAFF_ROLES } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the catalogue module (resolver and service read this). */
export const cataloguePolicy = definePolicy('catalogue', {
  /** STAFF of the lead department (checked in the service), or ADMIN. */
  retireService: [Role.STAFF, Role.ADMIN],
  /** The field `ServiceOffering.versions`. */
  versions: STAFF_ROLES,
});
