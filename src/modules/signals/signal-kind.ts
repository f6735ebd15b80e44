import { registerEnumType } from 'type-graphql';

export enum SignalKind {
  REQUEST = 'REQUEST',
  SEARCH = 'SEARCH',
  VIEW = 'VIEW',
  USE = 'USE',
  RATING = 'RATING',
  COMPLAINT = 'COMPLAINT',
}
registerEnumType(SignalKind, { name: 'SignalKind' });
