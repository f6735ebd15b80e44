import { parsePostedRequest } from './open311.form';
import { Open311Error } from './open311.mapping';

describe('parsePostedRequest', () => {
  const body = {
    service_code: 'SS-0001',
    description: '社保卡丢了',
    lat: '26.6',
    long: '106.7',
    'attribute[district]': '520103',
  };

  it('refuses a NUL character in any field, naming it', () => {
    expect(() => parsePostedRequest({ ...body, description: '社保卡\u0000丢了' }, new Set(['520103']))).toThrow(
      new Open311Error(400, 'description must not contain a NUL character (U+0000)'),
    );
    expect(() => parsePostedRequest({ ...body, 'attribute[district]': '520103\u0000' }, new Set(['520103']))).toThrow(
      new Open311Error(400, 'attribute[district] must not contain a NUL character (U+0000)'),
    );
  });

  it('refuses a description of invisible characters only, like a blank one', () => {
    expect(() => parsePostedRequest({ ...body, description: '\u200b\u200d\u2060' }, new Set(['520103']))).toThrow(
      new Open311Error(400, 'description was not provided: say what is needed, or what went wrong'),
    );
  });
});
