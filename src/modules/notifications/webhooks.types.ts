import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../core/pagination';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType({
  description: "An integrator's URL that receives signed notification events (its secret is never shown).",
})
export class WebhookSubscription {
  @Field(() => ID)
  id: string;

  @Field()
  url: string;

  @Field(() => ID, { nullable: true, description: 'Only events concerning this department; all events without it.' })
  departmentId: string | null;

  @Field()
  active: boolean;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType({ description: 'One event sent (or to be sent) to one webhook: the delivery log.' })
export class WebhookDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  webhookId: string;

  @Field(() => ID, { description: 'The event id (x-minsheng-event-id): the same on every retry, for de-duplication.' })
  eventId: string;

  @Field()
  kind: string;

  @Field(() => WebhookDeliveryStatus)
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING).' })
  nextAttemptAt: Date | null;

  @Field(() => Int, { nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;
}

export const WebhookDeliveryConnection = Connection('WebhookDelivery', WebhookDelivery);
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;
