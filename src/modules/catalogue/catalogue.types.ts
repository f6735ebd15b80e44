import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../core/pagination';
import { District } from '../districts/district.entity';
import { ServiceOffering } from './service.entity';

export const ServiceOfferingConnection = Connection('ServiceOffering', ServiceOffering);
export type ServiceOfferingConnection = InstanceType<typeof ServiceOfferingConnection>;

@ObjectType({ simpleResolvers: true, description: 'Who may use a service. Empty lists and nulls do not restrict.' })
export class Eligibility {
  @Field(() => Int, { nullable: true })
  minAge: number | null;

  @Field(() => Int, { nullable: true })
  maxAge: number | null;

  @Field(() => [String], { description: 'The citizen must carry every one of these tags.' })
  requiredTags: string[];

  @Field(() => [District], { description: 'The citizen must live in one of these districts; empty means citywide.' })
  districts: District[];
}
