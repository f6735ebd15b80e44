import {
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
import { VoteValue } from './vote-value';

/** One vote per citizen and service: the primary key is the invariant. */
@Entity('vote')
export class Vote {
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

  @Column({ type: 'enum', enum: VoteValue, enumName: 'vote_value' })
  value: VoteValue;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
