import { Check, Column, Entity } from 'typeorm';
import { CitizenServiceRow } from './citizen-service-row';

/** A citizen's current rating of a service; a later rating replaces the earlier one. */
@Entity('rating')
@Check('rating_stars_range', 'stars BETWEEN 1 AND 5')
export class Rating extends CitizenServiceRow {
  @Column({ type: 'smallint' })
  stars: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;
}
