import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A notice for one citizen or one department, written in the transaction of its cause, so
 * it exists exactly when the change does.
 */
@ObjectType('Notification', { simpleResolvers: true })
@Entity('notification')
@Index('notification_citizen_idx', ['citizenId', 'id'])
@Index('notification_department_idx', ['departmentId', 'id'])
// Partial unique (request_id) WHERE kind = 'request.need_met', made by the NotificationDelivery migration.
@Index('notification_need_met_once', { synchronize: false })
// Partial unique (request_id, kind, department_id) of the four deadline kinds, made by the DeadlineNotices migration.
@Index('notification_deadline_once', { synchronize: false })
// Partial unique (rating_id, kind) of the two rectification deadline kinds, made by the RatingNotices migration.
@Index('notification_rectification_once', { synchronize: false })
@Check('notification_one_recipient', '(citizen_id IS NULL) <> (department_id IS NULL)')
export class Notification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'citizen_id', type: 'uuid', nullable: true })
  citizenId: string | null;

  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Field({ description: 'request.status, request.answer, request.routed, request.need_met …' })
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Field(() => ID, { nullable: true, description: 'The request it is about.' })
  @Column({ name: 'request_id', type: 'bigint', nullable: true })
  requestId: string | null;

  @Field(() => ID, { nullable: true, description: 'The service it is about (request.need_met: the new service).' })
  @Column({ name: 'service_id', type: 'uuid', nullable: true })
  serviceId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The satisfaction rating it is about (rating.*): the id answerRectification takes.',
  })
  @Column({ name: 'rating_id', type: 'bigint', nullable: true })
  ratingId: string | null;

  @Field({ description: 'A sentence the recipient can read, in Chinese.' })
  @Column({ type: 'text' })
  message: string;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
