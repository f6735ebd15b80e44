import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context';
import { connectionOf, pageRequest } from '../../core/pagination';
import { Allow } from '../../core/policy';
import { notificationsPolicy } from './notifications.policy';
import { deactivateWebhook, listWebhookDeliveries, listWebhooks, registerWebhook } from './webhooks.service';
import { WebhookDeliveryConnection, WebhookSubscription } from './webhooks.types';
import { WebhookDeliveriesArgs, WebhookInput } from './webhooks.inputs';

@Resolver(() => WebhookSubscription)
export class WebhookResolver {
  @Query(() => [WebhookSubscription], { description: 'ADMIN: the webhook subscriptions, oldest first.' })
  @Allow(notificationsPolicy.webhooks)
  webhooks(@Ctx() ctx: Context): Promise<WebhookSubscription[]> {
    return listWebhooks(ctx);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'ADMIN: the webhook delivery log, newest first.' })
  @Allow(notificationsPolicy.webhookDeliveries)
  async webhookDeliveries(
    @Args() args: WebhookDeliveriesArgs,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryConnection> {
    const page = pageRequest(ctx.cursors, 'webhookDeliveries', args, WebhookDeliveriesArgs.defaultFirst);
    return connectionOf(
      ctx.cursors,
      page,
      await listWebhookDeliveries(ctx, { webhookId: args.webhookId, status: args.status, ...page }),
    );
  }

  @Mutation(() => WebhookSubscription, {
    description:
      'ADMIN: sends every notification event (of one department, or all) to the URL, signed with the secret.',
  })
  @Allow(notificationsPolicy.registerWebhook)
  registerWebhook(
    @Arg('input', () => WebhookInput) input: WebhookInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookSubscription> {
    return registerWebhook(ctx, input);
  }

  @Mutation(() => WebhookSubscription, { description: 'ADMIN: stops sending new events to the webhook.' })
  @Allow(notificationsPolicy.deactivateWebhook)
  deactivateWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookSubscription> {
    return deactivateWebhook(ctx, id);
  }
}
