import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PaginationArgs } from '../../core/pagination';
import { WebhookDeliveryStatus } from './webhooks.types';

@InputType()
export class WebhookInput {
  @Field({ description: 'http(s) URL, at most 2,000 characters.' })
  url: string;

  @Field({ description: 'The HMAC-SHA256 key, 16 to 200 characters; write-only.' })
  secret: string;

  @Field(() => ID, { nullable: true })
  departmentId?: string | null;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PaginationArgs(20) {
  @Field(() => ID, { nullable: true })
  webhookId?: string | null;

  @Field(() => WebhookDeliveryStatus, { nullable: true })
  status?: WebhookDeliveryStatus | null;
}
