import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ServiceOffering } from '../catalogue/service.entity';

/** A word or phrase of citizens' requests tied to a service by what they did next (learned-associations.ts). */
@Entity('learned_association')
@Check('learned_association_citizens_check', '"citizens" >= 3')
@Check('learned_association_strength_check', '"strength" > 0 AND "strength" <= 1')
export class LearnedAssociationRow {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  term: string;

  @Index()
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @ManyToOne(() => ServiceOffering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @Column({ type: 'int' })
  citizens: number;

  @Column({ type: 'real' })
  strength: number;

  @Column({ name: 'learned_at', type: 'timestamptz' })
  learnedAt: Date;
}
