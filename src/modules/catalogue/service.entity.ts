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
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';
import { ServiceStatus } from './catalogue.enums';
import { WithServiceContent } from './service-content';

/** The key of a service; its columns and fields come before the content. */
@ObjectType()
class ServiceOfferingKey {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field()
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;
}

@ObjectType('ServiceOffering', { simpleResolvers: true })
@Entity('service')
// The catalogue in title order, a page at a time, without sorting the whole catalogue.
@Index('service_status_title_idx', ['status', 'title', 'id'])
@Index(['categoryId'])
@Index(['departmentId'])
// The tags index (service_tags_idx) is made by the migrations; the schema check leaves it alone.
@Index('service_tags_idx', { synchronize: false })
export class ServiceOffering extends WithServiceContent(ServiceOfferingKey) {
  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: Category;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Department;

  @Field(() => ServiceStatus)
  @Index()
  @Column({ type: 'enum', enum: ServiceStatus, enumName: 'service_status', default: ServiceStatus.PUBLISHED })
  status: ServiceStatus;

  @Field(() => Int)
  @Column({ type: 'int', default: 1 })
  version: number;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  /** Segmented, normalised text of title, tags, summary and description; see text/. */
  @Index('service_search_vector_idx', { synchronize: false })
  @Column({ name: 'search_vector', type: 'tsvector', select: false, nullable: true })
  searchVector?: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
