import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { ServiceOffering } from './service.entity';

/**
 * Vote and rating counters of a service. Kept exact by triggers on `vote` and `rating`
 * (see the initial migration), so concurrent voters never race on read-then-write.
 */
@Entity('service_stats')
export class ServiceStatsRow {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @OneToOne(() => ServiceOffering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @Column({ type: 'int', default: 0 })
  upvotes: number;

  @Column({ type: 'int', default: 0 })
  downvotes: number;

  @Column({ name: 'rating_count', type: 'int', default: 0 })
  ratingCount: number;

  @Column({ name: 'rating_sum', type: 'int', default: 0 })
  ratingSum: number;
}
