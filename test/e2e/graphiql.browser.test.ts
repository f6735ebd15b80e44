import type { Browser } from 'playwright-core';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../helpers/browser';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** GraphiQL 3's editors are CodeMirror 5, which hangs its instance on the wrapper element. */
type CodeMirrorElement = { CodeMirror: { getValue(): string; setValue(value: string): void } };
type BrowserWindow = { localStorage: { getItem(key: string): string | null } };
const QUERY = '{ districts { code name } }';

const describeInChromium = chromiumAvailable() ? describe : describe.skip;
if (!chromiumAvailable()) {
  console.warn(
    `GraphiQL browser test skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

/** GraphiQL at /graphiql, bundled: it loads with every other host unreachable and runs a query. */
describeInChromium('GraphiQL in Chromium, offline', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    origin = new URL(t.url).origin;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('loads with no other host reachable and runs a query against /graphql', async () => {
    browser = await launchChromium();
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    await context.route('**', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    // The page's own policy (script and style from this origin only) must not get in its way.
    await page.addInitScript({
      content: `window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ': ' + e.blockedURI));`,
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Every error counts, a missing favicon too (the pages name an empty one).
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    await page.goto(`${origin}/graphiql`, { waitUntil: 'load' });
    // The editors exist once React has rendered; the schema is loaded by introspection.
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.waitFor({ state: 'visible', timeout: 30_000 });
    expect(
      await queryEditor.evaluate((element) => (element as unknown as CodeMirrorElement).CodeMirror.getValue()),
    ).toContain('query Search');
    await queryEditor.click();
    await queryEditor.evaluate(
      (element, query) => (element as unknown as CodeMirrorElement).CodeMirror.setValue(query),
      QUERY,
    );
    // GraphiQL takes the operation name from the edited query after a debounce, and stores the
    // query after a longer one: once stored, the run sends the new query's (absent) name.
    await page.waitForFunction(
      (query) => (globalThis as unknown as BrowserWindow).localStorage.getItem('graphiql:query') === query,
      QUERY,
      { timeout: 10_000 },
    );
    await page.locator('.graphiql-execute-button').click();

    await page.locator('.graphiql-response').getByText('云岩区').waitFor({ timeout: 30_000 });
    const result = JSON.parse(
      await page
        .locator('.graphiql-response .CodeMirror')
        .evaluate((element) => (element as unknown as CodeMirrorElement).CodeMirror.getValue()),
    ) as { data: { districts: { code: string; name: string }[] } };
    expect(result.data.districts).toContainEqual({ code: '520103', name: '云岩区' });

    // Typing brings up completions from the schema; the documentation explorer lists the root types.
    await queryEditor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('{ distr');
    await page.locator('.CodeMirror-hints').getByText('districts').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page
      .locator('.graphiql-doc-explorer')
      .getByText('Query', { exact: true })
      .first()
      .waitFor({ timeout: 10_000 });

    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
