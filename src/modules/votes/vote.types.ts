import { Field, ObjectType } from 'type-graphql';
import { ServiceOffering } from '../catalogue/service.entity';
import { VoteValue } from './vote-value';

@ObjectType({ simpleResolvers: true })
export class VotePayload {
  @Field(() => ServiceOffering)
  service: ServiceOffering;

  @Field(() => VoteValue, { nullable: true })
  viewerVote: VoteValue | null;
}
