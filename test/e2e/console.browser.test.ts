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
    (await t.db.query(`SELECT s.id FROM service s JOIN category c ON c.id = s.category_id WHERE c.code = $1 AND s.status = 'PUBLISHED' ORDER BY s.code LIMIT 1`, [category]))[0].id as string;
  const housingFund = await serviceOf('gov.housing-fund');
  const health = await serviceOf('life.health');

  // Ten weeks of views and uses in two categories, from six citizens of four districts.
  const districts = ['520102', '520102', '520103', '520103', '520111', '520115'];
  const citizens = await Promise.all(districts.map((districtCode, i) => newCitizen(t, { districtCode, birthYear: 1950 + i * 10 })));
  const byDistrict = new Map<string, TestCitizen>(districts.map((code, i) => [code, citizens[i]]));
  await Promise.all(
    citizens.map(async (citizen, i) => {
      const signals: SignalInput[] = [];
      for (let week = 0; week < 10; week += 1) {
        const occurredAt = (n: number) => new Date(Date.now() - (week * 7 + (n % 7)) * DAY_MS - 3_600_000).toISOString();
        const views = 1 + ((i + week) % 4) * (i < 2 ? 2 : 1);
        for (let n = 0; n < views; n += 1) {
          signals.push({ kind: 'VIEW', serviceId: housingFund, occurredAt: occurredAt(n), clientEventId: `view-${week}-${n}` });
        }
        if ((week + i) % 2 === 0) signals.push({ kind: 'USE', serviceId: health, occurredAt: occurredAt(week), clientEventId: `use-${week}` });
        if (i >= 4 || week > 6) {
          signals.push({ kind: 'SEARCH', text: '预约挂号', categoryCode: 'life.health', occurredAt: occurredAt(i), clientEventId: `search-${week}` });
        }
      }
      expect((await citizen.client.request(RecordSignalsDocument, { signals })).recordSignals.accepted).toBe(signals.length);
    }),
  );
  for (const [text, districtCode] of UNMET) {
    const { unmet } = (await byDistrict.get(districtCode)!.client.request(SubmitRequestDocument, { input: { text } })).submitRequest;
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
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
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
  for (const panel of ['trends', 'unmet', 'report', 'proposals']) {
    await page.waitForSelector(`#${panel}[data-status="ready"]`, { timeout: 15_000 });
  }
}

/** Writes docs/img/<name> when it is missing or UPDATE_SCREENSHOTS=1, so runs leave the tree clean. */
async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOTS, name);
  if (existsSync(file) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: file });
}

const browserIt = chromiumAvailable() ? it : it.skip;
if (!chromiumAvailable()) {
  console.warn(`Console browser test skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

describe('the planner console in Chromium', () => {
  let browser: Browser | undefined;
  let context: BrowserContext;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable()) return;
    browser = await launchChromium();
    // A browser far from the city: dates on the page are still the city's.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
    // Nothing but the server itself: the page must work on a closed network.
    await context.route('**', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('internetdisconnected')));
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openConsole(): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/favicon/.test(message.location().url)) problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}/console`, { waitUntil: 'load' });
    return page;
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.fill('#token', token);
    await page.click('#sign-in-button');
  }

  browserIt('signs a planner in, draws the charts, redraws them on a filter, and speaks English on request', async () => {
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
    expect(await page.textContent('#report-body')).toContain(`统计周期 ${addDays(today, -7)} – ${addDays(today, -1)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-md')]);
    expect(download.suggestedFilename()).toBe(`catalogue-report-${addDays(today, -7)}-${addDays(today, -1)}.md`);
    expect(await page.textContent('#proposal-list')).toContain(PROPOSAL_TITLE);
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
    expect(await page.locator('#filter-category option[value="gov.housing-fund"]').textContent()).toContain('Housing provident fund');
    expect(await page.textContent('#role')).toBe('Role: Planner (PLANNER)');
    expect(await page.textContent('#report-body')).toMatch(/Merge services|Add a service|Improve a service|Retire a service|Expand districts|Promote a service/);
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
  });

  browserIt('shows FORBIDDEN for a citizen token and UNAUTHENTICATED for an expired one', async () => {
    const page = await openConsole();
    await signIn(page, await t.token(Role.CITIZEN));
    await page.waitForSelector('#trends[data-status="error"]');
    await page.waitForSelector('#banner:not([hidden])');
    const banner = await page.textContent('#banner');
    expect(banner).toContain('FORBIDDEN');
    expect(banner).toContain('市民');
    expect(await page.textContent('#trends .panel-error')).toContain('FORBIDDEN');
    await page.click('#sign-out');

    const expired = await signToken({ sub: randomUUID(), role: Role.PLANNER }, TEST_JWT_SECRET, Math.floor(Date.now() / 1000) - 60);
    await signIn(page, expired);
    await page.waitForSelector('#sign-in-error:not([hidden])');
    expect(await page.textContent('#sign-in-error')).toContain('UNAUTHENTICATED');
    expect(await page.isVisible('#workspace')).toBe(false);
    await page.close();
    // The refused requests are the only errors the browser logs.
    expect(problems.filter((p) => !/status of (401|403)/.test(p))).toEqual([]);
  });
});
