import { Field, ID, Int, ObjectType } from 'type-graphql';
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
import { District } from '../districts/district.entity';

@ObjectType({ simpleResolvers: true })
@Entity('citizen')
export class Citizen {
  /** The `sub` of the citizen's token. */
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index()
  @Column({ name: 'district_code', type: 'varchar', length: 6 })
  districtCode: string;

  @ManyToOne(() => District, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'district_code' })
  district?: District;

  @Field(() => Int, { nullable: true })
  @Column({ name: 'birth_year', type: 'smallint', nullable: true })
  birthYear: number | null;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Field({ description: 'False: the citizen asked for rankings that use no personal data.' })
  @Column({ type: 'boolean', default: true })
  personalization: boolean;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
