import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { buildPage, Connection, PaginationArgs } from '../../core/pagination';
import { Notification } from './notification.entity';
import { listNotifications, markNotificationsRead } from './notifications.service';

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
  @Authorized(Role.CITIZEN, Role.STAFF)
  async notifications(@Args() args: NotificationsArgs, @Ctx() ctx: Context): Promise<NotificationConnection> {
    const listing = 'notifications';
    const offset = ctx.cursors.decode(listing, args.after);
    const result = await listNotifications(ctx, { unreadOnly: args.unreadOnly ?? false, first: args.first ?? 20, offset });
    return { ...buildPage(ctx.cursors, listing, result.nodes, offset, result.hasNextPage), totalCount: result.totalCount };
  }

  @Mutation(() => Int, { description: "The caller's notifications (the given ones, or all) read; how many changed." })
  @Authorized(Role.CITIZEN, Role.STAFF)
  async markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true }) ids: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return markNotificationsRead(ctx, ids);
  }
}
