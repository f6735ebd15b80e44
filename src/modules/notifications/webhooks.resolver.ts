import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { buildPage } from '../../core/pagination';
import { deactivateWebhook, listWebhookDeliveries, listWebhooks, registerWebhook } from './webhooks.service';
import {
  WebhookDeliveriesArgs, WebhookDeliveryConnection, WebhookInput, WebhookSubscription,
} from './webhooks.types';

@Resolver(() => WebhookSubscription)
export class WebhookResolver {
  @Query(() => [WebhookSubscription], { description: 'ADMIN: the webhook subscriptions, oldest first.' })
  @Authorized(Role.ADMIN)
  webhooks(@Ctx() ctx: Context): Promise<WebhookSubscription[]> {
    return listWebhooks(ctx);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'ADMIN: the webhook delivery log, newest first.' })
  @Authorized(Role.ADMIN)
  async webhookDeliveries(@Args() args: WebhookDeliveriesArgs, @Ctx() ctx: Context): Promise<WebhookDeliveryConnection> {
    const listing = 'webhookDeliveries';
    const offset = ctx.cursors.decode(listing, args.after);
    const result = await listWebhookDeliveries(ctx, { ...args, first: args.first ?? 20, offset });
    return { ...buildPage(ctx.cursors, listing, result.nodes, offset, result.hasNextPage), totalCount: result.totalCount };
  }

  @Mutation(() => WebhookSubscription, {
    description: 'ADMIN: sends every notification event (of one department, or all) to the URL, signed with the secret.',
  })
  @Authorized(Role.ADMIN)
  registerWebhook(@Arg('input', () => WebhookInput) input: WebhookInput, @Ctx() ctx: Context): Promise<WebhookSubscription> {
    return registerWebhook(ctx, input);
  }

  @Mutation(() => WebhookSubscription, { description: 'ADMIN: stops sending new events to the webhook.' })
  @Authorized(Role.ADMIN)
  deactivateWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookSubscription> {
    return deactivateWebhook(ctx, id);
  }
}
