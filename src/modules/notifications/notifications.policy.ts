import { Role } from '../../core/auth';
import { definePolicy } from '../../core/policy';

/** Who may call each operation of the notifications module (resolver and service read this). */
export const notificationsPolicy = definePolicy('notifications', {
  notifications: [Role.CITIZEN, Role.STAFF],
  markNotificationsRead: [Role.CITIZEN, Role.STAFF],
  notificationAdded: [Role.CITIZEN, Role.STAFF],
  webhooks: [Role.ADMIN],
  webhookDeliveries: [Role.ADMIN],
  registerWebhook: [Role.ADMIN],
  deactivateWebhook: [Role.ADMIN],
});
