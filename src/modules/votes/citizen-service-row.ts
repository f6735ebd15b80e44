import { CreateDateColumn, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ServiceOffering } from '../catalogue/service.entity';
import { Citizen } from '../citizens/citizen.entity';

/**
 * The key and timestamps of a citizen's current opinion of a service (vote, rating): one row per
 * citizen and service, the primary key being the invariant, removed with either. Not an entity
 * itself; each entity extends it with its own value columns.
 */
export abstract class CitizenServiceRow {
  @PrimaryColumn({ name: 'citizen_id', type: 'uuid' })
  citizenId: string;

  @Index()
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @ManyToOne(() => Citizen, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'citizen_id' })
  citizen?: Citizen;

  @ManyToOne(() => ServiceOffering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
