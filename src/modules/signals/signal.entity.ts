import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../categories/category.entity';
import { ServiceOffering } from '../catalogue/service.entity';
import { Citizen } from '../citizens/citizen.entity';
import { AgeBand } from '../citizens/age-band';
import { District } from '../districts/district.entity';
import { SignalKind } from './signal-kind';

/**
 * One demand signal. `category_id`, `district_code` and `age_band` are copied at write time
 * (from the service and the citizen) so that analytics never join back to mutable rows.
 * Partitioned by month of `received_at`, keyed (id, received_at); a client event's uniqueness
 * is kept by `signal_client_event` (migration SignalPartitions1796040000000).
 */
@ObjectType('DemandSignal', { simpleResolvers: true })
@Entity('signal')
@Index('signal_service_occurred_idx', ['serviceId', 'occurredAt'])
@Index('signal_citizen_occurred_idx', ['citizenId', 'occurredAt'])
@Index('signal_occurred_idx', ['occurredAt'])
// Partial (WHERE kind = 'REQUEST' AND unmet), made by the DemandRollups migration: unmet demand reads only those rows.
@Index('signal_unmet_request_idx', { synchronize: false })
@Index('signal_unmet_search_idx', { synchronize: false })
export class SignalRow {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId: string;

  @ManyToOne(() => Citizen, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'citizen_id' })
  citizen?: Citizen;

  @Field(() => SignalKind)
  @Column({ type: 'enum', enum: SignalKind, enumName: 'signal_kind' })
  kind: SignalKind;

  @Column({ name: 'service_id', type: 'uuid', nullable: true })
  serviceId: string | null;

  @ManyToOne(() => ServiceOffering, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId: string | null;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: Category;

  @Column({ name: 'district_code', type: 'varchar', length: 6 })
  districtCode: string;

  @ManyToOne(() => District, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'district_code' })
  district?: District;

  @Column({ name: 'age_band', type: 'enum', enum: AgeBand, enumName: 'age_band', nullable: true })
  ageBand: AgeBand | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'smallint', nullable: true })
  rating: number | null;

  @Field(() => Date)
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @PrimaryColumn({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'client_event_id', type: 'varchar', length: 128, nullable: true })
  clientEventId: string | null;

  /** For REQUEST signals: the best-matching published service when the request was made. */
  @Column({ name: 'matched_service_id', type: 'uuid', nullable: true })
  matchedServiceId: string | null;

  @Column({ name: 'match_score', type: 'real', nullable: true })
  matchScore: number | null;

  /** For REQUEST and SEARCH signals: no published service met the need well enough. */
  @Column({ type: 'boolean', nullable: true })
  unmet: boolean | null;

  /** For REQUEST and SEARCH signals: the need recognised in the text (a code of seeds/needs), if any. */
  @Column({ name: 'need_code', type: 'varchar', length: 64, nullable: true })
  needCode: string | null;

  /** The id of the transaction that wrote the row: the rollup worker's watermark (null: applied before it). */
  @Index('signal_writer_xid_idx', { synchronize: false })
  @Column({
    name: 'writer_xid',
    type: 'xid8' as never,
    nullable: true,
    default: () => 'pg_current_xact_id()',
    select: false,
  })
  writerXid?: string | null;
}
