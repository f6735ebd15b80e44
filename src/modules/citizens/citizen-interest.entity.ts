import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Category } from '../categories/category.entity';
import { Citizen } from './citizen.entity';

@Entity('citizen_interest')
export class CitizenInterest {
  @PrimaryColumn({ name: 'citizen_id', type: 'uuid' })
  citizenId: string;

  @Index()
  @PrimaryColumn({ name: 'category_id', type: 'uuid' })
  categoryId: string;

  @ManyToOne(() => Citizen, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'citizen_id' })
  citizen?: Citizen;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: Category;
}
