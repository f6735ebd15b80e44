import {
  CatalogueDeepPageDocument,
  CataloguePageDocument,
  DepartmentsWithServicesDocument,
  RecommendedDocument,
} from '../generated/graphql';
import { newCitizen } from '../helpers/fixtures';
import { startTestApp, steadyStatementsOf, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  // Reference tables (categories, departments) are read once per process: count requests after that.
  await t.client().request(CatalogueDeepPageDocument, { first: 1 });
});
afterAll(async () => {
  await t?.stop();
});

/** Statements the server sends for one request once its caches are warm. */
const statementsFor = (request: () => Promise<unknown>) => steadyStatementsOf(t.statements, request);

describe('no N+1 queries', () => {
  it('serves a page of 20 services with relations in as many statements as a page of 2', async () => {
    const citizen = await newCitizen(t);
    for (const client of [t.client(), citizen.client]) {
      const two = await statementsFor(() => client.request(CataloguePageDocument, { first: 2 }));
      const twenty = await statementsFor(() => client.request(CataloguePageDocument, { first: 20 }));
      expect(twenty).toBe(two);
      expect(twenty).toBeLessThanOrEqual(10);
    }
  });

  it('does not grow with the page when relations nest (parents of departments and categories)', async () => {
    const twenty = await statementsFor(() => t.client().request(CatalogueDeepPageDocument, { first: 20 }));
    const hundred = await statementsFor(() => t.client().request(CatalogueDeepPageDocument, { first: 100 }));
    expect(hundred).toBe(twenty);
    expect(hundred).toBeLessThanOrEqual(12);
  });

  it('serves every department with a page of its services in a fixed number of statements', async () => {
    const count = await statementsFor(() => t.client().request(DepartmentsWithServicesDocument));
    expect(count).toBeLessThanOrEqual(4);
  });

  it('ranks a citizen in one statement once the catalogue and the shared demand are cached', async () => {
    const citizen = await newCitizen(t);
    await citizen.client.request(RecommendedDocument, { first: 10 });
    // The citizen's row and all their own rows in one statement; the page's services from the
    // catalogue snapshot the ranking was made from.
    expect(await statementsFor(() => citizen.client.request(RecommendedDocument, { first: 10 }))).toBe(1);
  });
});
