import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../core/pagination';
import { ServiceOffering } from '../catalogue/service.entity';
import { Proposal } from './proposal.entity';

@ObjectType({ simpleResolvers: true })
export class SimilarService {
  @Field(() => ServiceOffering)
  service: ServiceOffering;

  @Field(() => Float, { description: '0 to 1.' })
  similarity: number;
}

@ObjectType({ simpleResolvers: true })
export class DemandEvidence {
  @Field(() => Int)
  requestCount: number;

  @Field(() => Int)
  citizenCount: number;

  @Field(() => [String])
  sampleRequests: string[];
}

export const ServiceProposalConnection = Connection('ServiceProposal', Proposal);
export type ServiceProposalConnection = InstanceType<typeof ServiceProposalConnection>;
