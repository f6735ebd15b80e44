import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Department } from '../departments/department.entity';
import { SignalRow } from '../signals/signal.entity';
import { CaseStatus } from './case-state';

export enum CaseKind {
  REQUEST = 'REQUEST',
  COMPLAINT = 'COMPLAINT',
}
registerEnumType(CaseKind, { name: 'RequestKind' });

/**
 * The handling of one REQUEST or COMPLAINT signal, opened in the signal's transaction.
 * A met request is RESOLVED at once by the services offered; an unmet request or a
 * complaint is routed to a department with deadlines in working days.
 */
@ObjectType('CitizenRequest', { simpleResolvers: true })
@Entity('request_case')
@Index('request_case_citizen_idx', ['citizenId', 'openedAt'])
@Index('request_case_department_idx', ['departmentId', 'status', 'resolveDue'])
export class RequestCase {
  @Field(() => ID, { description: 'The id of the request or complaint signal.' })
  @PrimaryColumn({ name: 'signal_id', type: 'bigint' })
  id: string;

  /** The signal's `received_at`: with its id, the key of the (partitioned) signal table. */
  @Column({ name: 'signal_received_at', type: 'timestamptz' })
  signalReceivedAt: Date;

  // One case per signal (signal_id is the primary key); many-to-one only because a one-to-one
  // relation on two columns would want a unique constraint of its own.
  @ManyToOne(() => SignalRow, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'signal_id', referencedColumnName: 'id', foreignKeyConstraintName: 'request_case_signal_fkey' },
    {
      name: 'signal_received_at',
      referencedColumnName: 'receivedAt',
      foreignKeyConstraintName: 'request_case_signal_fkey',
    },
  ])
  signal?: SignalRow;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId: string;

  @Field(() => CaseKind)
  @Column({ type: 'enum', enum: CaseKind, enumName: 'request_case_kind' })
  kind: CaseKind;

  /** The service complained about. */
  @Column({ name: 'service_id', type: 'uuid', nullable: true })
  serviceId: string | null;

  @Column({ name: 'offered_service_ids', type: 'uuid', array: true, default: () => "'{}'" })
  offeredServiceIds: string[];

  @Field(() => CaseStatus)
  @Column({ type: 'enum', enum: CaseStatus, enumName: 'request_case_status' })
  status: CaseStatus;

  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Department;

  @Field({ description: 'The district the request is about.' })
  @Column({ name: 'district_code', type: 'varchar', length: 6 })
  districtCode: string;

  @Field(() => Date)
  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the department is to acknowledge it by.' })
  @Column({ name: 'acknowledge_due', type: 'timestamptz', nullable: true })
  acknowledgeDue: Date | null;

  @Field(() => Date, { nullable: true, description: 'The expected time of the answer.' })
  @Column({ name: 'resolve_due', type: 'timestamptz', nullable: true })
  resolveDue: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was closed without being resolved.' })
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason: string | null;

  @Field(() => String, { nullable: true, description: "The department's answer." })
  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
