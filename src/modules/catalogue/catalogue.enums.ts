import { registerEnumType } from 'type-graphql';

export enum ServiceStatus {
  PUBLISHED = 'PUBLISHED',
  RETIRED = 'RETIRED',
}
registerEnumType(ServiceStatus, { name: 'ServiceStatus' });

export enum Channel {
  ONLINE = 'ONLINE',
  APP = 'APP',
  SERVICE_WINDOW = 'SERVICE_WINDOW',
  PHONE = 'PHONE',
  HOME_VISIT = 'HOME_VISIT',
}
registerEnumType(Channel, { name: 'Channel' });

export enum ServiceOrder {
  RELEVANCE = 'RELEVANCE',
  NEWEST = 'NEWEST',
  VOTE_SCORE = 'VOTE_SCORE',
  POPULARITY = 'POPULARITY',
  TITLE = 'TITLE',
}
registerEnumType(ServiceOrder, { name: 'ServiceOrder' });
