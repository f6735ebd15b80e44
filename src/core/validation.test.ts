import { IsOptional, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested, validateSync } from 'class-validator';
import { fieldErrorsSync } from './validation';

class Item {
  @IsOptional()
  @IsUUID()
  id?: string | null;

  @MinLength(1)
  @MaxLength(6)
  code!: string;

  @IsOptional()
  @Min(1)
  @Max(5)
  rating?: number | null;
}

class Holder {
  @ValidateNested()
  item!: Item;
}

/** What class-validator itself reports, flattened as fieldErrorsSync reports it. */
const byClassValidator = (input: object, path: string) =>
  validateSync(input, { forbidUnknownValues: false }).map((e) => ({
    property: `${path}.${e.property}`,
    constraints: e.constraints,
  }));

describe('fieldErrorsSync', () => {
  const values = {
    id: [undefined, null, '', 'x', '1b4e28ba-2fa1-11d2-883f-0016d3cca427', 5],
    code: [undefined, null, '', 'a', 'abcdef', 'abcdefg', 7],
    rating: [undefined, null, 0, 1, 5, 6, 2.5, '3'],
  };

  it('finds what class-validator finds, for every combination of good and bad values', () => {
    let valid = 0;
    for (const id of values.id)
      for (const code of values.code)
        for (const rating of values.rating) {
          const item = Object.assign(new Item(), { id, code, rating });
          const expected = byClassValidator(item, 'items[0]');
          expect(fieldErrorsSync(item, 'items[0]')).toEqual(expected);
          if (expected.length === 0) valid += 1;
        }
    expect(valid).toBeGreaterThan(10);
  });

  it('leaves classes with nested validation to class-validator', () => {
    const holder = Object.assign(new Holder(), { item: Object.assign(new Item(), { code: 'abcdefgh' }) });
    expect(fieldErrorsSync(holder, 'input').map((e) => e.property)).toEqual(['input.item.code']);
  });
});
