import { defineModule } from '../../core/module';
import { NotificationResolver } from './notifications.resolver';
import { Notification } from './notification.entity';
import { WebhookResolver } from './webhooks.resolver';
import { startNotificationDelivery } from './notification-delivery.job';

/** The notifications module: what it declares of itself (composed in src/modules/index.ts). */
export const notificationsModule = defineModule({
  name: 'notifications',
  entities: [Notification],
  resolvers: [NotificationResolver, WebhookResolver],
  jobs: [
    {
      // The outbox dispatcher and webhook sender; stops after the server (docs/notifications.md).
      name: 'notification-delivery',
      startAfterServer: true,
      start: ({ config, dataSource, logger }) => startNotificationDelivery(dataSource, config, logger),
    },
  ],
});
