import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { departmentId } from '../../seeds/catalogue';
import { Role, signToken } from '../../src/core/auth';
import { consoleRouter } from '../../src/http/console.routes';
import { projectRoot } from '../../src/http/project-root';
import { addDays, cityDayOf, cityMidnight } from '../../src/modules/analytics/periods';
import {
  CreateProposalDocument,
  GenerateCatalogueReportDocument,
  RecordSignalsDocument,
  SubmitProposalDocument,
  SubmitRequestDocument,
  type SignalInput,
} from '../generated/graphql';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../helpers/browser';
import { newCitizen, type TestCitizen } from '../helpers/fixtures';
import { raw } from '../helpers/http';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

/**
 * The planner console at /console, in Chromium, with helmet's Content-Security-Policy on (as
 * in production): sign in, charts drawn, a filter redraws them, English labels.
 */
let t: TestApp;
let origin: string;

const DAY_MS = 86_400_000;
const SCREENSHOTS = path.join(projectRoot(__dirname), 'docs', 'img');
const PROPOSAL_TITLE = '社区智能健身驿站预约';
// Free-text needs the catalogue does not meet, by topic, each from a citizen of the given district.
const UNMET: [string, string][] = [
  ['我家的狗走丢了怎么办', '520102'],
  ['寵物走失去哪裏登記', '520103'],
  ['我家猫咪走丢了谁能帮忙找', '520102'],
  ['小狗跑丢了发布寻狗启事', '520111'],
  ['电动车上牌在哪里办', '520103'],
  ['電動自行車怎麼上牌照', '520115'],
  ['电瓶车挂牌需要什么材料', '520103'],
  ['快递柜超时收费太贵', '520102'],
  ['丰巢快递柜超时费怎么投诉', '520115'],
];

beforeAll(async () => {
  t = await startTestApp({ ALLOW_INTROSPECTION: 'false' });
  origin = new URL(t.url).origin;
  // The seed publishes everything now; the catalogue is older than the report's period.
  await t.db.query(`UPDATE service SET published_at = now() - interval '400 days'`);
  const serviceOf = async (category: string) =>
    (
      await t.db.query(
        `SELECT s.id FROM service s JOIN category c ON c.id = s.category_id WHERE c.code = $1 AND s.status = 'PUBLISHED' ORDER BY s.code LIMIT 1`,
        [category],
      )
    )[0].id as string;
  const housingFund = await serviceOf('gov.housing-fund');
  const health = await serviceOf('life.health');

  // Ten weeks of views and uses in two categories, from six citizens of four districts.
  const districts = ['520102', '520102', '520103', '520103', '520111', '520115'];
  const citizens = await Promise.all(
    districts.map((districtCode, i) => newCitizen(t, { districtCode, birthYear: 1950 + i * 10 })),
  );
  const byDistrict = new Map<string, TestCitizen>(districts.map((code, i) => [code, citizens[i]]));
  await Promise.all(
    citizens.map(async (citizen, i) => {
      const signals: SignalInput[] = [];
      for (let week = 0; week < 10; week += 1) {
        const occurredAt = (n: number) =>
          new Date(Date.now() - (week * 7 + (n % 7)) * DAY_MS - 3_600_000).toISOString();
        const views = 1 + ((i + week) % 4) * (i < 2 ? 2 : 1);
        for (let n = 0; n < views; n += 1) {
          signals.push({
            kind: 'VIEW',
            serviceId: housingFund,
            occurredAt: occurredAt(n),
            clientEventId: `view-${week}-${n}`,
          });
        }
        if ((week + i) % 2 === 0)
          signals.push({ kind: 'USE', serviceId: health, occurredAt: occurredAt(week), clientEventId: `use-${week}` });
        if (i >= 4 || week > 6) {
          signals.push({
            kind: 'SEARCH',
            text: '预约挂号',
            categoryCode: 'life.health',
            occurredAt: occurredAt(i),
            clientEventId: `search-${week}`,
          });
        }
      }
      expect((await citizen.client.request(RecordSignalsDocument, { signals })).recordSignals.accepted).toBe(
        signals.length,
      );
    }),
  );
  for (const [text, districtCode] of UNMET) {
    const { unmet } = (await byDistrict.get(districtCode)!.client.request(SubmitRequestDocument, { input: { text } }))
      .submitRequest;
    expect([text, unmet]).toEqual([text, true]);
  }

  const planner = t.client(await t.token(Role.PLANNER));
  const today = cityDayOf(new Date());
  await planner.request(GenerateCatalogueReportDocument, {
    periodStart: cityMidnight(addDays(today, -7)).toISOString(),
    periodEnd: cityMidnight(today).toISOString(),
  });

  const sport = t.client(await t.token(Role.STAFF, { dept: departmentId('GY-SPORT') }));
  const { createProposal } = await sport.request(CreateProposalDocument, {
    input: {
      title: PROPOSAL_TITLE,
      titleEn: 'Booking community smart fitness stations',
      summary: '居民可以在线预约社区智能健身驿站的时段，使用力量和有氧器械。',
      categoryCode: 'life.culture-sport',
      tags: ['健身驿站', '全民健身'],
      channels: ['APP', 'ONLINE'],
      rationale: '居民多次提出希望就近健身。',
    },
  });
  await sport.request(SubmitProposalDocument, { id: createProposal.id });
});
afterAll(async () => {
  await t?.stop();
});

describe('/console over HTTP', () => {
  it('serves the page at /console and /console/ under the production CSP, its bundle from the same origin', async () => {
    for (const pathname of ['/console', '/console/']) {
      const page = await raw(`${origin}${pathname}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
      expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
      const links = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      // An empty icon in place (no request for /favicon.ico, a 404 in the browser's console).
      expect(links.filter((link) => link.startsWith('data:'))).toEqual(['data:,']);
      const assets = links.filter((link) => !link.startsWith('data:'));
      expect(assets.sort()).toEqual(['/console/console.css', '/console/console.js']);
      for (const asset of assets) expect((await raw(`${origin}${asset}`)).status).toBe(200);
    }
    expect((await raw(`${origin}/console/nothing.js`)).status).toBe(404);
  });

  it('answers 503 with a clear message while the bundle is not built', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'console-root-'));
    const app = express().use(consoleRouter({ logger: pino({ level: 'silent' }), root }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await raw(`http://127.0.0.1:${(server.address() as AddressInfo).port}/console`);
      expect([response.status, response.text]).toEqual([503, 'console not built: run npm run build']);
    } finally {
      server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** In the page: how many pixels of the canvases under `selector` are painted, and a hash of them. */
const canvasPixels = (selector: string) => `(() => {
  const canvases = [...document.querySelectorAll(${JSON.stringify(`${selector} canvas`)})];
  let painted = 0;
  let hash = 2166136261;
  for (const canvas of canvases) {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) painted += 1;
      hash = Math.imul(hash ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)), 16777619);
    }
  }
  return { canvases: canvases.length, painted, hash: hash >>> 0 };
})()`;
type Pixels = { canvases: number; painted: number; hash: number };

async function chartsDrawn(page: Page): Promise<void> {
  for (const panel of ['trends', 'unmet', 'map', 'report', 'proposals']) {
    await page.waitForSelector(`#${panel}[data-status="ready"]`, { timeout: 15_000 });
  }
}

/** Writes docs/img/<name> (of the page, or of one element) when it is missing or UPDATE_SCREENSHOTS=1, so runs leave the tree clean. */
async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  const file = path.join(SCREENSHOTS, name);
  if (existsSync(file) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file });
}

/** The values the map drew, by district code, and which measure. */
async function mapValues(page: Page): Promise<{ measure: string; values: Record<string, number> }> {
  const element = page.locator('#map-chart');
  return {
    measure: (await element.getAttribute('data-measure')) ?? '',
    values: JSON.parse((await element.getAttribute('data-values')) ?? '{}') as Record<string, number>,
  };
}

const browserIt = chromiumAvailable() ? it : it.skip;
if (!chromiumAvailable()) {
  console.warn(
    `Console browser test skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

describe('the planner console in Chromium', () => {
  let browser: Browser | undefined;
  let context: BrowserContext;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable()) return;
    browser = await launchChromium();
    // A browser far from the city: dates on the page are still the city's.
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'America/New_York',
    });
    // Nothing but the server itself: the page must work on a closed network.
    await context.route('**', (route) =>
      new URL(route.request().url()).origin === origin ? route.continue() : route.abort('internetdisconnected'),
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openConsole(): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Every error counts, a missing favicon too (the pages name an empty one).
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}/console`, { waitUntil: 'load' });
    return page;
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.fill('#token', token);
    await page.click('#sign-in-button');
  }

  browserIt(
    'signs a planner in, draws the charts, redraws them on a filter, and speaks English on request',
    async () => {
      const page = await openConsole();
      expect(await page.isVisible('#sign-in')).toBe(true);
      expect(await page.textContent('h1')).toBe('民生 · 规划工作台');
      await signIn(page, await t.token(Role.PLANNER));
      await chartsDrawn(page);
      expect(await page.textContent('#role')).toContain('PLANNER');

      const trends = (await page.evaluate(canvasPixels('#trends-chart'))) as Pixels;
      const unmet = (await page.evaluate(canvasPixels('#unmet-chart'))) as Pixels;
      for (const chart of [trends, unmet]) {
        expect(chart.canvases).toBeGreaterThan(0);
        expect(chart.painted).toBeGreaterThan(5_000);
      }
      // The top clusters with their samples, the report's findings, the proposal waiting for review.
      const clusters = await page.locator('#clusters > li').allTextContents();
      expect(clusters.length).toBeGreaterThanOrEqual(2);
      const lostPets = UNMET.slice(0, 4).map(([text]) => text);
      expect(clusters[0]).toContain('宠物');
      expect(lostPets.filter((text) => clusters[0].includes(text))).toHaveLength(3); // three samples shown
      expect(await page.locator('#report-body .finding').count()).toBeGreaterThan(0);
      const today = cityDayOf(new Date());
      expect(await page.textContent('#report-body')).toContain(
        `统计周期 ${addDays(today, -7)} – ${addDays(today, -1)}`,
      );
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-md')]);
      expect(download.suggestedFilename()).toBe(`catalogue-report-${addDays(today, -7)}-${addDays(today, -1)}.md`);
      expect(await page.textContent('#proposal-list')).toContain(PROPOSAL_TITLE);
      // The unmet requests were routed: each department that received them has a row, most received first.
      await page.waitForSelector('#performance[data-status="ready"]', { timeout: 15_000 });
      const performanceRows = await page.locator('#performance-rows tr').allTextContents();
      expect(performanceRows.length).toBeGreaterThan(0);
      expect(performanceRows[0]).toMatch(/贵阳|局|中心/);
      await screenshot(page, 'console-trends.png');
      await page.locator('#report').scrollIntoViewIfNeeded();
      await screenshot(page, 'console-report.png');
      await page.evaluate('window.scrollTo(0, 0)');

      // One district: both charts are drawn again, differently.
      await page.selectOption('#filter-district', '520111');
      await chartsDrawn(page);
      const huaxiTrends = (await page.evaluate(canvasPixels('#trends-chart'))) as Pixels;
      const huaxiUnmet = (await page.evaluate(canvasPixels('#unmet-chart'))) as Pixels;
      expect(huaxiTrends.painted).toBeGreaterThan(5_000);
      expect(huaxiTrends.hash).not.toBe(trends.hash);
      expect(huaxiUnmet.hash).not.toBe(unmet.hash);
      // A category filter with a split by district: drawn differently again.
      await page.selectOption('#filter-district', '');
      await page.selectOption('#filter-category', 'life.health');
      await page.selectOption('#filter-split', 'DISTRICT');
      await chartsDrawn(page);
      const healthTrends = (await page.evaluate(canvasPixels('#trends-chart'))) as Pixels;
      expect(new Set([trends.hash, huaxiTrends.hash, healthTrends.hash]).size).toBe(3);
      await page.selectOption('#filter-category', '');
      await page.selectOption('#filter-split', 'KIND');

      // English: fixed labels, filter options, names from the API and the report's kinds.
      await page.click('#language');
      await chartsDrawn(page);
      expect(await page.textContent('h1')).toBe('Minsheng · Planner console');
      expect(await page.textContent('#trends h2')).toBe('Demand trends');
      expect(await page.locator('#filter-district option[value="520111"]').textContent()).toBe('Huaxi District');
      expect(await page.locator('#filter-category option[value="gov.housing-fund"]').textContent()).toContain(
        'Housing provident fund',
      );
      expect(await page.textContent('#role')).toBe('Role: Planner (PLANNER)');
      expect(await page.textContent('#report-body')).toMatch(
        /Merge services|Add a service|Improve a service|Retire a service|Expand districts|Promote a service/,
      );
      expect(await page.textContent('#proposal-list')).toContain('Booking community smart fitness stations');
      await screenshot(page, 'console-en.png');

      // The token lasts for the tab: a reload stays signed in; signing out forgets it.
      await page.reload({ waitUntil: 'load' });
      await chartsDrawn(page);
      expect(await page.textContent('h1')).toBe('Minsheng · Planner console');
      await page.click('#sign-out');
      expect(await page.isVisible('#sign-in')).toBe(true);
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
      await page.click('#language');
      await page.close();
      expect(problems).toEqual([]);
    },
  );

  browserIt('draws the map of demand and of unmet demand by district, offline', async () => {
    const page = await openConsole();
    const requested = new Set<string>();
    page.on('request', (request) => requested.add(new URL(request.url()).origin));
    await signIn(page, await t.token(Role.PLANNER));
    await chartsDrawn(page);

    // Demand: the signals of the six citizens, in their four districts.
    const demand = await mapValues(page);
    expect(demand.measure).toBe('demand');
    expect(Object.keys(demand.values).sort()).toEqual(['520102', '520103', '520111', '520115']);
    for (const value of Object.values(demand.values)) expect(value).toBeGreaterThan(0);
    const [{ huaxi }] = await t.db.query(
      `SELECT count(*)::int AS huaxi FROM signal WHERE district_code = '520111' AND occurred_at >= now() - interval '84 days'`,
    );
    expect(demand.values['520111']).toBeGreaterThan(0);
    expect(demand.values['520111']).toBeLessThanOrEqual(huaxi);
    const demandPixels = (await page.evaluate(canvasPixels('#map-chart'))) as Pixels;
    expect(demandPixels.canvases).toBeGreaterThan(0);
    // Ten districts filled, labelled and outlined: most of the 420-pixel-high panel is painted.
    expect(demandPixels.painted).toBeGreaterThan(50_000);
    expect(await page.textContent('#map-note')).toContain('南明区');
    await page.locator('#map').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-map.png', '#map');

    // Unmet demand: where the unmet requests came from, drawn differently.
    await page.selectOption('#map-measure', 'unmet');
    await page.waitForSelector('#map-chart[data-measure="unmet"]');
    await page.waitForSelector('#map[data-status="ready"]');
    const unmet = await mapValues(page);
    const sent = new Map<string, number>();
    for (const [, code] of UNMET) sent.set(code, (sent.get(code) ?? 0) + 1);
    for (const [code, count] of Object.entries(unmet.values)) {
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(sent.get(code) ?? 0);
    }
    expect(unmet.values['520102']).toBeGreaterThan(0);
    const unmetPixels = (await page.evaluate(canvasPixels('#map-chart'))) as Pixels;
    expect(unmetPixels.painted).toBeGreaterThan(50_000);
    expect(unmetPixels.hash).not.toBe(demandPixels.hash);
    await screenshot(page, 'console-map-unmet.png', '#map');

    // Nothing came from anywhere but the server: the boundaries are in the bundle.
    expect([...requested]).toEqual([origin]);
    await page.close();
    expect(problems).toEqual([]);
  });

  browserIt('shows FORBIDDEN for a citizen token and UNAUTHENTICATED for an expired one', async () => {
    const page = await openConsole();
    await signIn(page, await t.token(Role.CITIZEN));
    await page.waitForSelector('#trends[data-status="error"]');
    expect(await page.isVisible('#performance')).toBe(false);
    await page.waitForSelector('#banner:not([hidden])');
    const banner = await page.textContent('#banner');
    expect(banner).toContain('FORBIDDEN');
    expect(banner).toContain('市民');
    expect(await page.textContent('#trends .panel-error')).toContain('FORBIDDEN');
    await page.click('#sign-out');

    const expired = await signToken(
      { sub: randomUUID(), role: Role.PLANNER },
      TEST_JWT_SECRET,
      Math.floor(Date.now() / 1000) - 60,
    );
    await signIn(page, expired);
    await page.waitForSelector('#sign-in-error:not([hidden])');
    expect(await page.textContent('#sign-in-error')).toContain('UNAUTHENTICATED');
    expect(await page.isVisible('#workspace')).toBe(false);
    await page.close();
    // The refused requests are the only errors the browser logs.
    expect(problems.filter((p) => !/status of (401|403)/.test(p))).toEqual([]);
  });
});
