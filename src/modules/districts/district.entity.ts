import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({ simpleResolvers: true, description: "One of Guiyang's county-level divisions." })
@Entity('district')
export class District {
  @Field(() => ID, { description: 'Administrative division code, e.g. 520103.' })
  @PrimaryColumn({ type: 'varchar', length: 6 })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ name: 'name_en', type: 'varchar', length: 100, nullable: true })
  nameEn: string | null;

  @Column({ name: 'sort_order', type: 'smallint', default: 0 })
  sortOrder: number;
}
