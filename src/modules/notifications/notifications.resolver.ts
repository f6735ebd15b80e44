import { Arg, Args, ArgsType, Ctx, Field, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../core/context';
import { connectionOf, Connection, pageRequest, PaginationArgs } from '../../core/pagination';
import { Notification } from './notification.entity';
import { liveNotificationsOf, type LiveNotification } from './live-notifications';
import { listNotifications, markNotificationsRead, recipientChannelOf } from './notifications.service';
import { Allow } from '../../core/policy';
import { notificationsPolicy } from './notifications.policy';

const NotificationConnection = Connection('Notification', Notification);
type NotificationConnection = InstanceType<typeof NotificationConnection>;

@ArgsType()
class NotificationsArgs extends PaginationArgs(20) {
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  unreadOnly?: boolean | null;
}

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: "CITIZEN: their own; STAFF: their department's. Newest first." })
  @Allow(notificationsPolicy.notifications)
  async notifications(@Args() args: NotificationsArgs, @Ctx() ctx: Context): Promise<NotificationConnection> {
    const page = pageRequest(ctx.cursors, 'notifications', args, NotificationsArgs.defaultFirst);
    return connectionOf(
      ctx.cursors,
      page,
      await listNotifications(ctx, { unreadOnly: args.unreadOnly ?? false, ...page }),
    );
  }

  @Mutation(() => Int, { description: "The caller's notifications (the given ones, or all) read; how many changed." })
  @Allow(notificationsPolicy.markNotificationsRead)
  async markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true }) ids: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return markNotificationsRead(ctx, ids);
  }

  @Subscription(() => Notification, {
    description:
      "CITIZEN: their own new notifications; STAFF: their department's. Over WebSocket (graphql-ws) at /graphql only.",
    subscribe: ({ context }) =>
      liveNotificationsOf((context as Context).dataSource).subscribe(recipientChannelOf(context as Context)),
  })
  @Allow(notificationsPolicy.notificationAdded)
  notificationAdded(@Root() notification: LiveNotification): Notification {
    return notification;
  }
}
