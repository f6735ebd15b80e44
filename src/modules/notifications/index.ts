import { defineModule } from '../../core/module';
import { NotificationResolver } from './notifications.resolver';
import { Notification } from './notification.entity';

/** The notifications module: what it declares of itself (composed in src/modules/index.ts). */
export const notificationsModule = defineModule({
  name: 'notifications',
  entities: [Notification],
  resolvers: [NotificationResolver],
});
