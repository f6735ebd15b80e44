import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

export enum CategoryKind {
  GOVERNMENT = 'GOVERNMENT',
  LIFE = 'LIFE',
  COMMUNITY = 'COMMUNITY',
}
registerEnumType(CategoryKind, { name: 'CategoryKind' });

@ObjectType({ simpleResolvers: true })
@Entity('category')
export class Category {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field()
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ name: 'name_en', type: 'varchar', length: 200, nullable: true })
  nameEn: string | null;

  @Field(() => CategoryKind)
  @Column({ type: 'enum', enum: CategoryKind, enumName: 'category_kind' })
  kind: CategoryKind;

  @Index()
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Category;

  @Column({ name: 'sort_order', type: 'smallint', default: 0 })
  sortOrder: number;
}
