import { registerEnumType } from 'type-graphql';

export enum VoteValue {
  UP = 'UP',
  DOWN = 'DOWN',
}
registerEnumType(VoteValue, { name: 'VoteValue' });
