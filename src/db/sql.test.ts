import { arrayLiteral } from './sql';
import { openTestDatabase, type TestDatabase } from '../../test/helpers/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('arrayLiteral', () => {
  it('reads back as the same values on the database, nulls, quotes, backslashes, commas and braces included', async () => {
    const texts = [
      'plain',
      null,
      'a "quoted" word',
      'back\\slash',
      'x,y',
      '{braces}',
      '',
      'NULL',
      ' spaced ',
      '社保卡',
    ];
    const [{ values }] = await t.db.query('SELECT $1::text[] AS values', [arrayLiteral(texts)]);
    expect(values).toEqual(texts);
    const [{ numbers, flags }] = await t.db.query('SELECT $1::real[] AS numbers, $2::boolean[] AS flags', [
      arrayLiteral([0.5, null, 3]),
      arrayLiteral([true, false, null]),
    ]);
    expect(numbers).toEqual([0.5, null, 3]);
    expect(flags).toEqual([true, false, null]);
    expect(arrayLiteral([])).toBe('{}');
  });
});
