import { gcj02ToWgs84 } from '../../src/geo/geometry';
import { countRows } from '../helpers/fixtures';
import { raw, type RawResponse } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

const KEY = 'hotline-key-0123456789abcdefghij';

let t: TestApp;
let base: string;
let serviceCode: string;
beforeAll(async () => {
  t = await startTestApp({ OPEN311_API_KEYS: `hotline-12345:${KEY}` });
  base = t.url.replace(/\/graphql$/, '/open311/v2');
  [{ code: serviceCode }] = await t.db.query(
    `SELECT code FROM service WHERE status = 'PUBLISHED' AND min_age IS NULL AND max_age IS NULL
        AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
  );
});
afterAll(async () => {
  await t?.stop();
});

const post = (position: { lat: number; long: number }) =>
  raw(`${base}/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({
      api_key: KEY,
      service_code: serviceCode,
      description: '想办理这项业务',
      lat: position.lat.toFixed(12),
      long: position.long.toFixed(12),
    }),
  });

async function districtOf(response: RawResponse): Promise<string> {
  expect(response.status).toBe(200);
  const [{ service_request_id: id }] = JSON.parse(response.text) as { service_request_id: string }[];
  const [{ district_code: code }] = await t.db.query('SELECT district_code FROM signal WHERE id = $1', [id]);
  return code as string;
}

describe('Open311 requests with lat and long only', () => {
  it('land in the district that holds the GPS position once converted to GCJ-02', async () => {
    expect(await districtOf(await post({ lat: 26.4335, long: 106.6655 }))).toBe('520111'); // 花溪
    const park = gcj02ToWgs84({ lat: 26.5993, long: 106.6985 }); // 黔灵山公园 as a phone's GPS reports it
    expect(await districtOf(await post(park))).toBe('520103');
  });

  it('on the border of 南明区 and 云岩区 take the lower code', async () => {
    const border = gcj02ToWgs84({ lat: (26.56640625 + 26.5654296875) / 2, long: 106.6689453125 });
    expect(await districtOf(await post(border))).toBe('520102');
  });

  it('are refused with a 400 outside the city, and nothing is written', async () => {
    const before = [await countRows(t, 'signal'), await countRows(t, 'open311_request')];
    const response = await post({ lat: 29.563, long: 106.551 }); // Chongqing
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual([
      { code: 400, description: 'lat and long (WGS84) lie outside Guiyang: send attribute[district]' },
    ]);
    expect([await countRows(t, 'signal'), await countRows(t, 'open311_request')]).toEqual(before);
  });
});
