import { Field, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { Channel } from './catalogue.enums';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's constructor must take any[]
type Constructor<T = object> = new (...args: any[]) => T;

/**
 * The catalogue content of a service: its texts, category, tags, lead department, channels and
 * eligibility. The published service (`service`), its past versions (`service_version`) and a
 * proposal (`proposal`) all carry it with the same columns and GraphQL fields, declared here once.
 *
 * A mixin rather than a plain base class so that each entity keeps its GraphQL field order:
 * type-graphql lists a base class's fields first, and each entity's key fields (id, code, …)
 * come before the content. Pass the class that declares them as `Base` (an `@ObjectType()` class
 * that is no entity; like this one, it is never printed in the schema, as no field returns it). Indexes and relations
 * on these columns differ between the entities and are declared on each entity.
 */
export function WithServiceContent<TBase extends Constructor>(Base: TBase) {
  @ObjectType()
  class ServiceContent extends Base {
    @Field()
    @Column({ type: 'varchar', length: 200 })
    title: string;

    @Field(() => String, { nullable: true })
    @Column({ name: 'title_en', type: 'varchar', length: 300, nullable: true })
    titleEn: string | null;

    @Field()
    @Column({ type: 'text' })
    summary: string;

    @Field(() => String, { nullable: true })
    @Column({ type: 'text', nullable: true })
    description: string | null;

    @Column({ name: 'category_id', type: 'uuid' })
    categoryId: string;

    @Field(() => [String])
    @Column({ type: 'text', array: true, default: () => "'{}'" })
    tags: string[];

    /** The lead department, answerable for the service (for a proposal, the proposing one). */
    @Column({ name: 'department_id', type: 'uuid' })
    departmentId: string;

    @Field(() => [Channel])
    @Column({ type: 'enum', enum: Channel, enumName: 'channel', array: true, default: () => "'{}'" })
    channels: Channel[];

    @Column({ name: 'min_age', type: 'smallint', nullable: true })
    minAge: number | null;

    @Column({ name: 'max_age', type: 'smallint', nullable: true })
    maxAge: number | null;

    @Column({ name: 'required_tags', type: 'text', array: true, default: () => "'{}'" })
    requiredTags: string[];

    @Column({ name: 'district_codes', type: 'varchar', length: 6, array: true, default: () => "'{}'" })
    districtCodes: string[];
  }
  return ServiceContent;
}
