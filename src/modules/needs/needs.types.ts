import { Field, ObjectType } from 'type-graphql';
import type { LifeEvent as LifeEventData, Need as NeedData } from './needs-data';

@ObjectType({ description: 'Something a citizen needs done (seeds/needs/needs.json).' })
export class Need {
  @Field()
  code: string;

  @Field({ description: 'In simplified Chinese.' })
  name: string;

  @Field()
  nameZhHant: string;

  @Field()
  nameEn: string;

  @Field(() => [String], { description: 'Whom the need serves: self, child, older-person, business, pet …' })
  audiences: string[];

  /** Catalogue codes of the services that meet it, published or not. */
  serviceCodes: string[];

  /** Codes of the departments responsible for it. */
  departmentCodes: string[];

  static of(need: NeedData): Need {
    return Object.assign(new Need(), {
      code: need.code,
      name: need.name,
      nameZhHant: need.nameZhHant,
      nameEn: need.nameEn,
      audiences: [...need.audiences],
      serviceCodes: need.services,
      departmentCodes: need.departments,
    });
  }
}

@ObjectType({ description: 'A moment of life that brings several needs at once (seeds/needs/life-events.json).' })
export class LifeEvent {
  @Field()
  code: string;

  @Field({ description: 'In simplified Chinese.' })
  name: string;

  @Field()
  nameZhHant: string;

  @Field()
  nameEn: string;

  @Field({ description: 'What the life event involves, in simplified Chinese.' })
  summary: string;

  static of(event: LifeEventData): LifeEvent {
    return Object.assign(new LifeEvent(), {
      code: event.code,
      name: event.name,
      nameZhHant: event.nameZhHant,
      nameEn: event.nameEn,
      summary: event.summary,
    });
  }
}
