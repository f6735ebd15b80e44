import { Column, Entity } from 'typeorm';
import { CitizenServiceRow } from './citizen-service-row';
import { VoteValue } from './vote-value';

/** One vote per citizen and service: the primary key is the invariant. */
@Entity('vote')
export class Vote extends CitizenServiceRow {
  @Column({ type: 'enum', enum: VoteValue, enumName: 'vote_value' })
  value: VoteValue;
}
