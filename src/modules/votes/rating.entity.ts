import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ServiceOffering } from '../catalogue/service.entity';
import { Citizen } from '../citizens/citizen.entity';

/** A citizen's current rating of a service; a later rating replaces the earlier one. */
@Entity('rating')
@Check('rating_stars_range', 'stars BETWEEN 1 AND 5')
export class Rating {
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

  @Column({ type: 'smallint' })
  stars: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
