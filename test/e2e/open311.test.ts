import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { Role } from '../../src/core/auth';
import { open311Router } from '../../src/modules/open311/open311.routes';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { countRows } from '../helpers/fixtures';
import { postJson, raw, type RawResponse } from '../helpers/http';
import { startTestApp, type TestApp } from '../helpers/test-app';

const HOTLINE_KEY = 'hotline-key-0123456789abcdefghij';
const WECHAT_KEY = 'wechat-key-0123456789abcdefghijkl';

let t: TestApp;
let base: string;
let districts: { code: string; name: string }[];
beforeAll(async () => {
  t = await startTestApp({ OPEN311_API_KEYS: `hotline-12345:${HOTLINE_KEY}, wechat:${WECHAT_KEY}` });
  base = t.url.replace(/\/graphql$/, '/open311/v2');
  districts = await t.db.query('SELECT code, name FROM district ORDER BY sort_order, code');
});
afterAll(async () => {
  await t?.stop();
});

const get = (path: string) => raw(`${base}${path}`);
const post = (form: Record<string, string>) =>
  raw(`${base}/requests.json`, { method: 'POST', body: new URLSearchParams(form) });
const bodyOf = (response: RawResponse) => JSON.parse(response.text) as unknown;
const refusal = (response: RawResponse) => ({ status: response.status, body: bodyOf(response) });
const spec = (code: number, description: string) => ({ status: code, body: [{ code, description }] });

interface ServiceRecord {
  id: string;
  code: string;
  title: string;
  summary: string;
  tags: string[];
  category: string;
  department: string;
  min_age: number | null;
  max_age: number | null;
  required_tags: string[];
  district_codes: string[];
}
async function serviceByCode(code: string): Promise<ServiceRecord> {
  const [row] = await t.db.query(
    `SELECT s.id, s.code, s.title, s.summary, s.tags, c.name AS category, d.name AS department,
            s.min_age, s.max_age, s.required_tags, s.district_codes
       FROM service s JOIN category c ON c.id = s.category_id JOIN department d ON d.id = s.department_id WHERE s.code = $1`,
    [code],
  );
  return row;
}
/** A published service open to everyone, and one with an age rule only. */
async function codes(): Promise<{ open: string; aged: string }> {
  const [open] = await t.db.query(
    `SELECT code FROM service WHERE status = 'PUBLISHED' AND min_age IS NULL AND max_age IS NULL AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
  );
  const [aged] = await t.db.query(
    `SELECT code FROM service WHERE status = 'PUBLISHED' AND min_age IS NOT NULL AND max_age IS NULL AND required_tags = '{}' AND district_codes = '{}' ORDER BY code LIMIT 1`,
  );
  return { open: open.code, aged: aged.code };
}

/** What a well-formed POST carries; tests override fields. */
function form(serviceCode: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: HOTLINE_KEY,
    service_code: serviceCode,
    description: '想办理这项业务',
    lat: '26.5783',
    long: '106.7135',
    'attribute[district]': '520103',
    ...extra,
  };
}

async function writtenCounts() {
  return {
    signals: await countRows(t, 'signal'),
    requests: await countRows(t, 'open311_request'),
    citizens: await countRows(t, 'citizen'),
    audit: await countRows(t, 'audit_event'),
  };
}

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

describe('Open311 discovery and services', () => {
  it('describes the endpoint: JSON and XML, this server, test type', async () => {
    const response = await get('/discovery.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(bodyOf(response)).toEqual({
      changeset: '2026-12-05T00:00:00+08:00',
      contact: expect.any(String),
      key_service: expect.any(String),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: base,
          changeset: '2026-12-05T00:00:00+08:00',
          type: 'test',
          formats: ['application/json', 'text/xml'],
        },
      ],
    });
  });

  it('lists every published service with the spec’s fields', async () => {
    const response = await get('/services.json');
    expect(response.status).toBe(200);
    const services = bodyOf(response) as Record<string, unknown>[];
    const published: { code: string }[] = await t.db.query(
      `SELECT code FROM service WHERE status = 'PUBLISHED' ORDER BY code`,
    );
    expect(services.map((s) => s.service_code)).toEqual(published.map((p) => p.code));
    for (const service of services) {
      expect(Object.keys(service).sort()).toEqual([
        'description',
        'group',
        'keywords',
        'metadata',
        'service_code',
        'service_name',
        'type',
      ]);
      expect(service).toEqual({
        service_code: expect.any(String),
        service_name: expect.any(String),
        description: expect.any(String),
        metadata: true,
        type: 'realtime',
        keywords: expect.any(String),
        group: expect.any(String),
      });
    }
    const { aged } = await codes();
    const record = await serviceByCode(aged);
    expect(services.find((s) => s.service_code === aged)).toEqual({
      service_code: record.code,
      service_name: record.title,
      description: record.summary,
      metadata: true,
      type: 'realtime',
      keywords: record.tags.join(','),
      group: record.category,
    });
  });

  it('defines a service: eligibility as information, the kind and the district', async () => {
    const { open, aged } = await codes();
    const record = await serviceByCode(aged);
    const kind = (order: number) => ({
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: 'REQUEST (the default) or COMPLAINT',
      order,
      description: '诉求类型：需要这项服务，或投诉这项服务',
      values: [
        { key: 'REQUEST', name: '需求：办理或咨询这项服务' },
        { key: 'COMPLAINT', name: '投诉：对这项服务不满意' },
      ],
    });
    const district = (order: number) => ({
      variable: true,
      code: 'district',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: 'the district code, e.g. 520103; when not sent, found from lat and long (WGS84)',
      order,
      description: '诉求所在区县',
      values: districts.map((d) => ({ key: d.code, name: d.name })),
    });

    const agedResponse = await get(`/services/${aged}.json`);
    expect(agedResponse.status).toBe(200);
    expect(bodyOf(agedResponse)).toEqual({
      service_code: aged,
      attributes: [
        {
          variable: false,
          code: 'eligibility',
          datatype: 'text',
          required: false,
          datatype_description: null,
          order: 1,
          description: `适用条件：年满 ${record.min_age} 岁`,
        },
        kind(2),
        district(3),
      ],
    });
    expect(districts).toHaveLength(10);

    const openResponse = await get(`/services/${open}.json`);
    expect(bodyOf(openResponse)).toEqual({ service_code: open, attributes: [kind(1), district(2)] });
  });

  it('answers 404 for an unknown or retired service code', async () => {
    expect(refusal(await get('/services/NOPE-0001.json'))).toEqual(spec(404, 'service_code "NOPE-0001" not found'));
    const { open } = await codes();
    await t.db.query(`UPDATE service SET status = 'RETIRED', retired_at = now() WHERE code = $1`, [open]);
    try {
      expect(refusal(await get(`/services/${open}.json`))).toEqual(spec(404, `service_code "${open}" not found`));
      const listed = bodyOf(await get('/services.json')) as { service_code: string }[];
      expect(listed.some((s) => s.service_code === open)).toBe(false);
      expect(refusal(await post(form(open)))).toEqual(spec(404, `service_code "${open}" not found`));
    } finally {
      await t.db.query(`UPDATE service SET status = 'PUBLISHED', retired_at = NULL WHERE code = $1`, [open]);
    }
  });

  it('refuses a NUL character in a service code, and a path that is not UTF-8, with a 400', async () => {
    // Both were a 500 "Internal server error" (PostgreSQL's text refuses U+0000), anonymous.
    const nul = spec(400, 'service_code must not contain a NUL character (U+0000)');
    expect(refusal(await get('/services/%00.json'))).toEqual(nul);
    expect(refusal(await get('/services/SS-0001%00.json'))).toEqual(nul);
    expect(refusal(await get('/requests.json?service_code=%00'))).toEqual(nul);
    expect(refusal(await get('/requests.json?service_code=SS-0001,SS-0002%00'))).toEqual(nul);
    const path = spec(400, 'Malformed path: its percent-encoding is not UTF-8');
    expect(refusal(await get('/services/%FF.json'))).toEqual(path);
    expect(refusal(await get('/requests/%ED%A0%80.json'))).toEqual(path);
  });

  it('serves JSON and XML: another format is a clear 400; other paths 404, other methods 405', async () => {
    expect(refusal(await get('/services.csv'))).toEqual(
      spec(
        400,
        'The formats served are json and xml (see discovery.json): ask for /open311/v2/services.csv'.replace(
          /csv$/,
          'json',
        ),
      ),
    );
    expect(refusal(await get('/requests/1.yaml'))).toEqual(
      spec(400, 'The formats served are json and xml (see discovery.json): ask for /open311/v2/requests/1.json'),
    );
    expect((await get('/tokens/1.json')).status).toBe(404);
    expect(bodyOf(await get('/nothing'))).toEqual([
      { code: 404, description: expect.stringContaining('No such resource') },
    ]);
    const put = await raw(`${base}/requests.json`, { method: 'PUT' });
    expect(refusal(put)).toEqual(spec(405, 'PUT is not allowed on /open311/v2/requests.json'));
    expect(put.headers.get('allow')).toBe('GET, POST');
  });
});

describe('Open311 POST requests.json', () => {
  it('refuses a missing or wrong api_key with 403 and writes nothing', async () => {
    const { open } = await codes();
    const before = await writtenCounts();
    const { api_key: _key, ...withoutKey } = form(open);
    const forbidden = spec(403, 'api_key was not provided or is not valid');
    expect(refusal(await post(withoutKey))).toEqual(forbidden);
    expect(refusal(await post(form(open, { api_key: 'hotline-key-0123456789abcdefghiX' })))).toEqual(forbidden);
    expect(refusal(await post(form(open, { api_key: '' })))).toEqual(forbidden);
    expect(refusal(await post(form(open, { api_key: HOTLINE_KEY.slice(0, -1) })))).toEqual(forbidden);
    expect(await writtenCounts()).toEqual(before);
  });

  it('refuses bad fields with the spec’s 400 and writes nothing', async () => {
    const { open } = await codes();
    const before = await writtenCounts();
    const { service_code: _code, ...withoutCode } = form(open);
    const { description: _text, ...withoutDescription } = form(open);
    const {
      'attribute[district]': _district,
      lat: _la,
      long: _lo,
      ...withoutDistrict
    } = form(open, { address_string: '中华北路' });
    const { lat: _lat, long: _long, ...withoutLocation } = form(open);
    const cases: [Record<string, string>, string][] = [
      [withoutCode, 'service_code was not provided'],
      [withoutDescription, 'description was not provided: say what is needed, or what went wrong'],
      [form(open, { description: '   ' }), 'description was not provided: say what is needed, or what went wrong'],
      [form(open, { description: '长'.repeat(4001) }), 'description must be at most 4000 characters'],
      [withoutLocation, 'a location is required: lat and long, address_string or address_id'],
      [form(open, { lat: '' }), 'lat and long must be given together'],
      [form(open, { lat: '91' }), 'lat must be a decimal from -90 to 90 (WGS84), got "91"'],
      [form(open, { long: '1e2' }), 'long must be a decimal from -180 to 180 (WGS84), got "1e2"'],
      [withoutDistrict, 'attribute[district] was not provided, nor lat and long'],
      [
        form(open, { 'attribute[district]': '110101' }),
        'attribute[district] must be one of the service definition\'s district codes, got "110101"',
      ],
      [form(open, { 'attribute[kind]': 'PRAISE' }), 'attribute[kind] must be REQUEST or COMPLAINT, got "PRAISE"'],
      [
        form(open, { 'attribute[eligibility]': 'yes' }),
        'attribute[eligibility] is information only and takes no value',
      ],
      [form(open, { 'attribute[colour]': 'red' }), 'attribute[colour] is not an attribute of the service definition'],
      [form(open, { title: 'x' }), 'title is not a field of a service request'],
      [form(open, { email: 'not-an-email' }), 'email is not an email address'],
      [form(open, { media_url: 'javascript:alert(1)' }), 'media_url must be an http or https URL'],
    ];
    for (const [body, description] of cases) {
      expect(refusal(await post(body))).toEqual(spec(400, description));
    }
    const repeated = await raw(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${new URLSearchParams(form(open))}&description=again`,
    });
    expect(refusal(repeated)).toEqual(spec(400, 'description is given more than once'));
    const latin1 = await raw(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' },
      body: new URLSearchParams(form(open)).toString(),
    });
    expect(refusal(latin1)).toEqual(spec(400, 'Malformed form body (UTF-8, application/x-www-form-urlencoded)'));
    expect(refusal(await post(form('NOPE-0001')))).toEqual(spec(404, 'service_code "NOPE-0001" not found'));
    expect(refusal(await postJson(`${base}/requests.json`, form(open)))).toEqual(
      spec(400, 'POST requests.json takes a form-encoded body (application/x-www-form-urlencoded)'),
    );
    const tooLarge = await raw(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `description=${'a'.repeat(1_100_000)}`,
    });
    expect(refusal(tooLarge)).toEqual(spec(413, 'Request body too large (at most 1mb, 100 fields)'));
    expect(await writtenCounts()).toEqual(before);
  });

  it('stores a need as a REQUEST signal matched like submitRequest, with its Open311 fields and an audit event', async () => {
    const { aged } = await codes();
    const service = await serviceByCode(aged);
    const text = service.title;
    const engine = await postJson(t.url, {
      query:
        'query($text: String!, $d: String) { matchRequest(text: $text, districtCode: $d, first: 1) { score service { id code title } } }',
      variables: { text, d: '520102' },
    });
    const [best] = (
      engine.json!.data as { matchRequest: { score: number; service: { id: string; code: string; title: string } }[] }
    ).matchRequest;
    expect(best.score).toBeGreaterThanOrEqual(0.25);

    const response = await post(
      form(aged, {
        description: text,
        'attribute[district]': '520102',
        email: 'resident@example.cn',
        first_name: '晓',
        phone: '+86 851 1234 5678',
      }),
    );
    expect(response.status).toBe(200);
    const [answer] = bodyOf(response) as { service_request_id: string }[];
    expect(bodyOf(response)).toEqual([
      {
        service_request_id: expect.stringMatching(/^\d+$/),
        service_notice: `可办理：${best.service.title}（服务代码 ${best.service.code}）`,
        account_id: null,
      },
    ]);

    const [signal] = await t.db.query(
      `SELECT citizen_id, kind, service_id, category_id, district_code, age_band, text, rating, client_event_id,
              matched_service_id, match_score, unmet FROM signal WHERE id = $1`,
      [answer.service_request_id],
    );
    const [{ category_id: categoryId }] = await t.db.query('SELECT category_id FROM service WHERE id = $1', [
      service.id,
    ]);
    expect(signal).toEqual({
      citizen_id: expect.any(String),
      kind: 'REQUEST',
      service_id: service.id,
      category_id: categoryId,
      district_code: '520102',
      age_band: null,
      text,
      rating: null,
      client_event_id: null,
      matched_service_id: best.service.id,
      match_score: expect.closeTo(best.score, 5),
      unmet: false,
    });
    const [citizen] = await t.db.query(
      'SELECT district_code, birth_year, tags, personalization FROM citizen WHERE id = $1',
      [signal.citizen_id],
    );
    expect(citizen).toEqual({ district_code: '520102', birth_year: null, tags: [], personalization: false });
    const [stored] = await t.db.query(
      'SELECT client, lat, long, address_string, address_id, media_url FROM open311_request WHERE signal_id = $1',
      [answer.service_request_id],
    );
    expect(stored).toEqual({
      client: 'hotline-12345',
      lat: 26.5783,
      long: 106.7135,
      address_string: null,
      address_id: null,
      media_url: null,
    });
    // Contact details are not kept.
    const [{ found }] = await t.db.query(
      `SELECT count(*)::int AS found FROM audit_event WHERE details::text LIKE '%resident@example.cn%'`,
    );
    expect(found).toBe(0);
    const [audit] = await t.db.query(
      `SELECT actor_id, actor_role, action, target_type, target_id, details FROM audit_event WHERE target_id = $1 AND action = 'open311.request.file'`,
      [answer.service_request_id],
    );
    expect(audit).toEqual({
      actor_id: signal.citizen_id,
      actor_role: 'CITIZEN',
      action: 'open311.request.file',
      target_type: 'signal',
      target_id: answer.service_request_id,
      details: {
        client: 'hotline-12345',
        serviceCode: aged,
        kind: 'REQUEST',
        districtCode: '520102',
        newCitizen: true,
        unmet: false,
        matchedServiceId: best.service.id,
        matchScore: expect.closeTo(best.score, 5),
      },
    });

    const lookup = await get(`/requests/${answer.service_request_id}.json`);
    expect(lookup.status).toBe(200);
    const [shown] = bodyOf(lookup) as { requested_datetime: string }[];
    expect(shown.requested_datetime).toMatch(W3C);
    expect(bodyOf(lookup)).toEqual([
      {
        service_request_id: answer.service_request_id,
        status: 'closed',
        status_notes: `已由服务 ${best.service.code} 满足`,
        service_name: service.title,
        service_code: aged,
        description: text,
        agency_responsible: service.department,
        service_notice: `可办理：${best.service.title}（服务代码 ${best.service.code}）`,
        requested_datetime: shown.requested_datetime,
        updated_datetime: shown.requested_datetime,
        expected_datetime: null,
        address: null,
        address_id: null,
        zipcode: null,
        lat: 26.5783,
        long: 106.7135,
        media_url: null,
      },
    ]);
  });

  it('stores a need nothing meets as unmet (open) and a complaint as a COMPLAINT about the service (open)', async () => {
    const { open } = await codes();
    const service = await serviceByCode(open);
    const unmetText = '申请火星移民签证和太空旅行补贴';
    const unmetResponse = await post(
      form(open, {
        description: unmetText,
        lat: '',
        long: '',
        address_string: '云岩区中华北路 1 号',
        address_id: 'GY-000123',
      }),
    );
    expect(unmetResponse.status).toBe(200);
    const [unmet] = bodyOf(unmetResponse) as { service_request_id: string }[];
    expect(bodyOf(unmetResponse)).toEqual([
      {
        service_request_id: unmet.service_request_id,
        service_notice: '暂无完全对应的服务，您的需求已记录，供规划新服务参考',
        account_id: null,
      },
    ]);
    const [unmetSignal] = await t.db.query(
      'SELECT kind, text, service_id, unmet, match_score FROM signal WHERE id = $1',
      [unmet.service_request_id],
    );
    expect(unmetSignal).toMatchObject({ kind: 'REQUEST', text: unmetText, service_id: service.id, unmet: true });
    expect(unmetSignal.match_score === null || unmetSignal.match_score < 0.25).toBe(true);

    const complaintText = '窗口排队两个小时，工作人员态度差 (A&B=C, 100% +1)';
    const complaintResponse = await post(
      form(open, {
        description: complaintText,
        'attribute[kind]': 'COMPLAINT',
        media_url: 'https://example.cn/photo.jpg',
        account_id: 'acct-77',
      }),
    );
    const [complaint] = bodyOf(complaintResponse) as { service_request_id: string }[];
    expect(bodyOf(complaintResponse)).toEqual([
      {
        service_request_id: complaint.service_request_id,
        service_notice: `投诉已记录，由${service.department}查看`,
        account_id: 'acct-77',
      },
    ]);
    const [complaintSignal] = await t.db.query(
      'SELECT kind, text, service_id, matched_service_id, match_score, unmet FROM signal WHERE id = $1',
      [complaint.service_request_id],
    );
    expect(complaintSignal).toEqual({
      kind: 'COMPLAINT',
      text: complaintText,
      service_id: service.id,
      matched_service_id: null,
      match_score: null,
      unmet: null,
    });

    const shown = bodyOf(
      await get(`/requests.json?service_request_id=${unmet.service_request_id},${complaint.service_request_id}`),
    ) as Record<string, unknown>[];
    expect(
      shown.map((r) => [
        r.service_request_id,
        r.status,
        r.status_notes,
        r.address,
        r.address_id,
        r.lat,
        r.long,
        r.media_url,
      ]),
    ).toEqual([
      [
        complaint.service_request_id,
        'open',
        `投诉，已转${service.department}`,
        null,
        null,
        26.5783,
        106.7135,
        'https://example.cn/photo.jpg',
      ],
      [unmet.service_request_id, 'open', '未满足的需求，待规划', '云岩区中华北路 1 号', 'GY-000123', null, null, null],
    ]);
  });

  it('writes nothing when a step of the transaction fails: no signal, rollup, citizen, request or audit event', async () => {
    const { open } = await codes();
    const totals = async () => ({
      ...(await writtenCounts()),
      rollups: (await t.db.query('SELECT coalesce(sum(signals), 0)::int AS n FROM demand_daily'))[0].n,
      activity: (await t.db.query('SELECT coalesce(sum(count), 0)::int AS n FROM service_activity_daily'))[0].n,
    });
    await t.applyRollups();
    const before = await totals();
    await t.db.query(
      `CREATE FUNCTION open311_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
    );
    await t.db.query(
      'CREATE TRIGGER open311_refuse BEFORE INSERT ON open311_request FOR EACH ROW EXECUTE FUNCTION open311_refuse()',
    );
    try {
      expect(refusal(await post(form(open, { account_id: 'acct-rollback' })))).toEqual(
        spec(500, 'Internal server error'),
      );
    } finally {
      await t.db.query('DROP TRIGGER open311_refuse ON open311_request');
      await t.db.query('DROP FUNCTION open311_refuse()');
    }
    expect(await totals()).toEqual(before);
  });

  it('files a repeat poster (account_id, else device_id) under one citizen per client; anonymous posts under new ones', async () => {
    const { open } = await codes();
    const citizenOf = async (response: RawResponse) => {
      const [{ service_request_id: id }] = bodyOf(response) as { service_request_id: string }[];
      const [{ citizen_id: citizenId }] = await t.db.query('SELECT citizen_id FROM signal WHERE id = $1', [id]);
      return citizenId as string;
    };
    const a1 = await citizenOf(await post(form(open, { account_id: 'acct-1' })));
    const a2 = await citizenOf(await post(form(open, { account_id: 'acct-1', device_id: 'phone-9' })));
    const otherClient = await citizenOf(await post(form(open, { account_id: 'acct-1', api_key: WECHAT_KEY })));
    const d1 = await citizenOf(await post(form(open, { device_id: 'phone-9' })));
    const d2 = await citizenOf(await post(form(open, { device_id: 'phone-9' })));
    const n1 = await citizenOf(await post(form(open)));
    const n2 = await citizenOf(await post(form(open)));
    expect(a2).toBe(a1);
    expect(d2).toBe(d1);
    expect(new Set([a1, otherClient, d1, n1, n2]).size).toBe(5);
    const [{ client }] = await t.db.query(
      'SELECT o.client FROM open311_request o JOIN signal s ON s.id = o.signal_id WHERE s.citizen_id = $1',
      [otherClient],
    );
    expect(client).toBe('wechat');
  });
});

describe('Open311 GET requests.json', () => {
  let ids: { need: string; complaint: string; old: string };
  let serviceCodes: { open: string; aged: string };
  beforeAll(async () => {
    serviceCodes = await codes();
    const need = await post(form(serviceCodes.aged, { description: (await serviceByCode(serviceCodes.aged)).title }));
    const complaint = await post(form(serviceCodes.open, { description: '办事太慢', 'attribute[kind]': 'COMPLAINT' }));
    const old = await post(form(serviceCodes.open, { description: '一百天前的需求' }));
    const idOf = (r: RawResponse) => (bodyOf(r) as { service_request_id: string }[])[0].service_request_id;
    ids = { need: idOf(need), complaint: idOf(complaint), old: idOf(old) };
    await t.db.query(`UPDATE open311_request SET requested_at = now() - interval '100 days' WHERE signal_id = $1`, [
      ids.old,
    ]);
  });
  const listed = async (query: string) => {
    const response = await get(`/requests.json${query}`);
    expect(response.status).toBe(200);
    return bodyOf(response) as {
      service_request_id: string;
      status: string;
      service_code: string;
      requested_datetime: string;
    }[];
  };
  const idsOf = (requests: { service_request_id: string }[]) => requests.map((r) => r.service_request_id);

  it('lists the last 90 days by default, newest first, each with every field', async () => {
    const requests = await listed('');
    expect(idsOf(requests)).toContain(ids.need);
    expect(idsOf(requests)).toContain(ids.complaint);
    expect(idsOf(requests)).not.toContain(ids.old);
    const times = requests.map((r) => Date.parse(r.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const request of requests) {
      expect(Object.keys(request).sort()).toEqual([
        'address',
        'address_id',
        'agency_responsible',
        'description',
        'expected_datetime',
        'lat',
        'long',
        'media_url',
        'requested_datetime',
        'service_code',
        'service_name',
        'service_notice',
        'service_request_id',
        'status',
        'status_notes',
        'updated_datetime',
        'zipcode',
      ]);
      expect(request.requested_datetime).toMatch(W3C);
    }
    expect(requests.length).toBe(await countRows(t, `open311_request WHERE requested_at > now() - interval '90 days'`));
  });

  it('filters by service_code, status and dates', async () => {
    const byCode = await listed(`?service_code=${serviceCodes.aged}`);
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((r) => r.service_code === serviceCodes.aged)).toBe(true);
    expect(idsOf(byCode)).toContain(ids.need);
    const both = await listed(`?service_code=${serviceCodes.aged},${serviceCodes.open}`);
    expect(idsOf(both)).toEqual(expect.arrayContaining([ids.need, ids.complaint]));
    expect(await listed('?service_code=NOPE-0001')).toEqual([]);

    const closed = await listed('?status=closed');
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    expect(idsOf(closed)).toContain(ids.need);
    expect(idsOf(closed)).not.toContain(ids.complaint);
    const open = await listed('?status=open');
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(idsOf(open)).toContain(ids.complaint);
    expect((await listed('?status=open,closed')).length).toBe(closed.length + open.length);

    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await listed(`?start_date=${iso(now + 86_400_000)}`)).toEqual([]);
    expect(await listed(`?end_date=${iso(now - 86_400_000)}`)).toEqual([]);
    const window = await listed(`?start_date=${iso(now - 3_600_000)}&end_date=${iso(now + 3_600_000)}`);
    expect(idsOf(window)).toEqual(expect.arrayContaining([ids.need, ids.complaint]));
    expect(idsOf(window)).not.toContain(ids.old);
    const oldDay = new Date(now - 100 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const past = await listed(
      `?start_date=${oldDay}&end_date=${encodeURIComponent(iso(now - 95 * 86_400_000).replace('Z', '+00:00'))}`,
    );
    expect(idsOf(past)).toEqual([ids.old]);
    expect(idsOf(await listed(`?start_date=${iso(now - 101 * 86_400_000)}`))).toEqual([ids.old]);
  });

  it('refuses bad filters with 400', async () => {
    const bad = async (query: string, description: string) =>
      expect(refusal(await get(`/requests.json${query}`))).toEqual(spec(400, description));
    await bad(
      '?start_date=yesterday',
      'start_date must be a W3C datetime such as 2026-11-05T08:15:30+08:00, got "yesterday"',
    );
    await bad(
      '?start_date=2026-02-30',
      'start_date must be a W3C datetime such as 2026-11-05T08:15:30+08:00, got "2026-02-30"',
    );
    await bad(
      '?end_date=2026-13-01T00:00:00Z',
      'end_date must be a W3C datetime such as 2026-11-05T08:15:30+08:00, got "2026-13-01T00:00:00Z"',
    );
    await bad(
      '?end_date=2026-11-01T10:00:00',
      'end_date must be a W3C datetime such as 2026-11-05T08:15:30+08:00, got "2026-11-01T10:00:00"',
    );
    await bad(
      '?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z',
      'end_date must not be before start_date',
    );
    await bad(
      '?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
      'start_date and end_date may not span more than 90 days',
    );
    await bad('?status=pending', 'status must be open or closed (comma-delimited), got "pending"');
    await bad('?status=', 'status is empty');
    await bad('?start_date=2026-01-01&start_date=2026-01-02', 'start_date is given more than once');
    await bad('?service_request_id=12;DROP', 'service_request_id "12;DROP" is not a request id');
  });

  it('looks requests up by id: service_request_id ignores the other filters; requests/{id}.json; 404 when unknown', async () => {
    const byIds = await listed(`?service_request_id=${ids.old},${ids.need}&status=open&start_date=2000-01-01`);
    expect(idsOf(byIds).sort()).toEqual([ids.need, ids.old].sort());
    expect(await listed('?service_request_id=999999999')).toEqual([]);
    const one = await get(`/requests/${ids.complaint}.json`);
    expect((bodyOf(one) as unknown[]).length).toBe(1);
    expect(refusal(await get('/requests/999999999.json'))).toEqual(
      spec(404, 'service_request_id "999999999" not found'),
    );
    expect(refusal(await get('/requests/abc.json'))).toEqual(spec(404, 'service_request_id "abc" not found'));
    // Signals from the apps are not Open311 requests.
    const [{ id: appSignal }] = await t.db.query(
      `INSERT INTO signal (citizen_id, kind, district_code, text, occurred_at)
       SELECT citizen_id, 'REQUEST', district_code, '应用里的需求', now() FROM signal WHERE id = $1 RETURNING id::text AS id`,
      [ids.need],
    );
    expect(refusal(await get(`/requests/${appSignal}.json`))).toEqual(
      spec(404, `service_request_id "${appSignal}" not found`),
    );
  });
});

describe('Open311 rate limits', () => {
  it('refuses calls past RATE_LIMIT_POINTS and filed requests past RATE_LIMIT_MUTATION_POINTS with 429 and Retry-After', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      RATE_LIMIT_POINTS: '6',
      RATE_LIMIT_MUTATION_POINTS: '1',
      OPEN311_API_KEYS: `hotline-12345:${HOTLINE_KEY}`,
    });
    const app = express().use(
      '/open311/v2',
      open311Router({ config, dataSource: t.db, logger: pino({ level: 'silent' }) }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const limited = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`;
    try {
      const { open } = await codes();
      const send = () => raw(`${limited}/requests.json`, { method: 'POST', body: new URLSearchParams(form(open)) });
      expect((await send()).status).toBe(200);
      const before = await writtenCounts();
      const refused = await send();
      expect(refusal(refused)).toEqual(spec(429, 'Too many requests: try again later'));
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await writtenCounts()).toEqual(before);
      for (let i = 0; i < 4; i += 1) expect((await raw(`${limited}/discovery.json`)).status).toBe(200);
      expect(refusal(await raw(`${limited}/services.json`))).toEqual(spec(429, 'Too many requests: try again later'));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('status from the request workflow', () => {
  it('shows the case: open with its expected time, then the acknowledgement, the answer and the agency', async () => {
    const { open } = await codes();
    const service = await serviceByCode(open);
    const filed = await post(form(open, { description: '窗口排队太久，希望增加人手', 'attribute[kind]': 'COMPLAINT' }));
    const [{ service_request_id: id }] = bodyOf(filed) as { service_request_id: string }[];
    const shown = async () => (bodyOf(await get(`/requests/${id}.json`)) as Record<string, unknown>[])[0];

    const [due] = await t.db.query('SELECT resolve_due FROM request_case WHERE signal_id = $1', [id]);
    const first = await shown();
    expect(first).toMatchObject({ status: 'open', agency_responsible: service.department });
    expect(first.expected_datetime).toMatch(/\+08:00$/);
    expect(new Date(first.expected_datetime as string).getTime()).toBe(
      Math.floor(due.resolve_due.getTime() / 1000) * 1000,
    );
    expect(first.updated_datetime).toBe(first.requested_datetime);

    const [{ department_id: dept }] = await t.db.query('SELECT department_id FROM service WHERE code = $1', [open]);
    const staff = t.client(await t.token(Role.STAFF, { dept }));
    await staff.request(`mutation($id: ID!) { acknowledgeRequest(id: $id) { status } }`, { id });
    const acknowledged = await shown();
    expect(acknowledged).toMatchObject({ status: 'open', status_notes: '部门已签收' });
    expect(new Date(acknowledged.updated_datetime as string).getTime()).toBeGreaterThanOrEqual(
      new Date(first.requested_datetime as string).getTime(),
    );
    await staff.request(`mutation($id: ID!, $a: String!) { resolveRequest(id: $id, answer: $a) { status } }`, {
      id,
      a: '已在高峰时段增开两个窗口',
    });
    expect(await shown()).toMatchObject({ status: 'closed', status_notes: '已在高峰时段增开两个窗口' });
    expect(
      (bodyOf(await get('/requests.json?status=closed')) as { service_request_id: string }[]).map(
        (r) => r.service_request_id,
      ),
    ).toContain(id);
  });
});

describe("Open311 in XML (GeoReport v2's default format)", () => {
  const parser = new XMLParser({
    ignoreDeclaration: true,
    parseTagValue: false,
    isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name),
  });
  const xmlOf = (response: RawResponse) => {
    expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(XMLValidator.validate(response.text)).toBe(true);
    return parser.parse(response.text);
  };

  it('lists the services and a service definition as the JSON does', async () => {
    const json = bodyOf(await get('/services.json')) as Record<string, unknown>[];
    const xml = xmlOf(await get('/services.xml'));
    expect(xml.services.service).toHaveLength(json.length);
    expect(xml.services.service[0]).toEqual(
      Object.fromEntries(Object.entries(json[0]).map(([k, v]) => [k, String(v)])),
    );

    const { aged } = await codes();
    const definition = bodyOf(await get(`/services/${aged}.json`)) as {
      service_code: string;
      attributes: { code: string }[];
    };
    const xmlDefinition = xmlOf(await get(`/services/${aged}.xml`)).service_definition;
    expect(xmlDefinition.service_code).toBe(definition.service_code);
    expect(xmlDefinition.attributes.attribute.map((a: { code: string }) => a.code)).toEqual(
      definition.attributes.map((a) => a.code),
    );
  });

  it('files a request and reads it back in XML, with the workflow fields', async () => {
    const { open } = await codes();
    const posted = await raw(`${base}/requests.xml`, {
      method: 'POST',
      body: new URLSearchParams(form(open, { description: '想办理这项业务 <急> & 快' })),
    });
    expect(posted.status).toBe(200);
    const [created] = xmlOf(posted).service_requests.request;
    expect(created.service_request_id).toMatch(/^\d+$/);
    expect(created).toHaveProperty('service_notice');

    const [read] = xmlOf(await get(`/requests/${created.service_request_id}.xml`)).service_requests.request;
    expect(read).toMatchObject({
      service_request_id: created.service_request_id,
      service_code: open,
      description: '想办理这项业务 <急> & 快',
    });
    for (const field of [
      'status',
      'status_notes',
      'agency_responsible',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
    ]) {
      expect(read).toHaveProperty(field);
    }
    const list = xmlOf(await get('/requests.xml')).service_requests.request;
    expect(list.some((r: { service_request_id: string }) => r.service_request_id === created.service_request_id)).toBe(
      true,
    );
  });

  it('answers errors in XML, by the suffix or, without one, by the Accept header', async () => {
    const forbidden = await raw(`${base}/requests.xml`, {
      method: 'POST',
      body: new URLSearchParams(form('X', { api_key: 'wrong' })),
    });
    expect(forbidden.status).toBe(403);
    expect(xmlOf(forbidden).errors.error).toEqual([
      { code: '403', description: 'api_key was not provided or is not valid' },
    ]);
    expect(xmlOf(await get('/services/NO-SUCH.xml')).errors.error[0].code).toBe('404');
    const byAccept = await raw(`${base}/nothing`, { headers: { accept: 'text/xml' } });
    expect(byAccept.status).toBe(404);
    expect(xmlOf(byAccept).errors.error[0].description).toContain('No such resource');
    expect(bodyOf(await get('/nothing'))).toEqual([
      { code: 404, description: expect.stringContaining('No such resource') },
    ]);
    const discovery = xmlOf(await get('/discovery.xml')).discovery;
    expect(discovery.endpoints.endpoint[0].formats.format).toEqual(['application/json', 'text/xml']);
  });
});
