import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from 'typeorm';
import { stableId } from '../src/db/stable-id';
import { queryRows } from '../src/db/sql';
import { searchDocument, searchVectorSql } from '../src/modules/catalogue/search-document';
import { loadServicePoints } from '../src/modules/service-points/service-point.seed';

export interface DistrictSeed {
  code: string;
  name: string;
  nameEn: string;
}
export interface CategorySeed {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
  parent: string | null;
}
export interface DepartmentSeed {
  code: string;
  name: string;
  nameEn: string;
  parent: string | null;
}
export interface ServiceSeed {
  code: string;
  title: string;
  titleEn: string;
  summary: string;
  description?: string | null;
  category: string;
  tags: string[];
  department: string;
  coDepartments: string[];
  channels: string[];
  eligibility: { minAge: number | null; maxAge: number | null; requiredTags: string[]; districts: string[] };
}

export interface CatalogueSeed {
  districts: DistrictSeed[];
  categories: CategorySeed[];
  departments: DepartmentSeed[];
  services: ServiceSeed[];
}

/** seeds/catalogue, from the sources or from the build output. */
function catalogueDir(): string {
  for (const candidate of [path.join(__dirname, 'catalogue'), path.join(__dirname, '..', '..', 'seeds', 'catalogue')]) {
    if (existsSync(path.join(candidate, 'services.json'))) return candidate;
  }
  throw new Error('seeds/catalogue not found');
}

export function readCatalogueSeed(): CatalogueSeed {
  const dir = catalogueDir();
  const read = <T>(name: string): T => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as T;
  return {
    districts: read('districts'),
    categories: read('categories'),
    departments: read('departments'),
    services: read('services'),
  };
}

/** seeds/catalogue/guides.json: the guide of each service, by service code. */
export function readGuideSeed(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(catalogueDir(), 'guides.json'), 'utf8')) as Record<string, unknown>;
}

export const categoryId = (code: string) => stableId(`category:${code}`);
export const departmentId = (code: string) => stableId(`department:${code}`);
export const serviceId = (code: string) => stableId(`service:${code}`);

/** True when no service has been loaded yet. */
export async function catalogueIsEmpty(db: EntityManager): Promise<boolean> {
  const [row] = await queryRows<{ any: boolean }>(db, 'SELECT EXISTS (SELECT 1 FROM service) AS any');
  return !row.any;
}

/**
 * Loads the seeded catalogue: districts, categories, departments and services with their
 * co-departments, search vectors and stats rows. Run inside one transaction by the caller.
 * Seeded services are published as of the catalogue's first load (this one's time, or the
 * first's when services are added later), so none of them counts as a new service.
 */
export async function loadCatalogue(db: EntityManager, seed: CatalogueSeed = readCatalogueSeed()): Promise<void> {
  const guides = readGuideSeed();
  for (const [index, d] of seed.districts.entries()) {
    await db.query(
      `INSERT INTO district (code, name, name_en, sort_order) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, sort_order = EXCLUDED.sort_order`,
      [d.code, d.name, d.nameEn, index],
    );
  }
  for (const [index, c] of seed.categories.entries()) {
    await db.query(
      `INSERT INTO category (id, code, name, name_en, kind, parent_id, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (code) DO NOTHING`,
      [categoryId(c.code), c.code, c.name, c.nameEn, c.kind, c.parent ? categoryId(c.parent) : null, index],
    );
  }
  for (const [index, d] of seed.departments.entries()) {
    await db.query(
      `INSERT INTO department (id, code, name, name_en, parent_id, sort_order) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO NOTHING`,
      [departmentId(d.code), d.code, d.name, d.nameEn, d.parent ? departmentId(d.parent) : null, index],
    );
  }
  for (const s of seed.services) {
    const id = serviceId(s.code);
    const doc = searchDocument(s);
    await db.query(
      `INSERT INTO service (id, code, title, title_en, summary, description, category_id, tags, department_id, channels,
                            min_age, max_age, required_tags, district_codes, status, version, published_at, search_vector)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::channel[], $11, $12, $13, $14, 'PUBLISHED', 1,
               coalesce((SELECT min(published_at) FROM service), now()),
               ${searchVectorSql('$15', '$16', '$17', '$18')})
       ON CONFLICT (code) DO NOTHING`,
      [
        id,
        s.code,
        s.title,
        s.titleEn,
        s.summary,
        s.description ?? null,
        categoryId(s.category),
        s.tags,
        departmentId(s.department),
        s.channels,
        s.eligibility.minAge,
        s.eligibility.maxAge,
        s.eligibility.requiredTags,
        s.eligibility.districts,
        doc.a,
        doc.b,
        doc.c,
        doc.d,
      ],
    );
    await db.query('INSERT INTO service_stats (service_id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
    // District variants (benchmarks) share the guide of the service they copy.
    const guide = guides[s.code] ?? guides[s.code.replace(/-\d{6}$/, '')];
    if (guide) {
      await db.query('INSERT INTO service_guide (service_id, guide) VALUES ($1, $2::jsonb) ON CONFLICT DO NOTHING', [
        id,
        JSON.stringify(guide),
      ]);
    }
    for (const co of s.coDepartments) {
      await db.query(
        'INSERT INTO service_co_department (service_id, department_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [id, departmentId(co)],
      );
    }
  }
  await loadServicePoints(db);
}

/**
 * District-level variants of citywide services (the same service at a district's own
 * window), to grow the catalogue to city scale for benchmarks: `count` of them, in a fixed
 * order, each limited to its district.
 */
export function districtVariants(seed: CatalogueSeed, count: number): ServiceSeed[] {
  const citywide = seed.services
    .filter((s) => s.eligibility.districts.length === 0)
    .sort((a, b) => a.code.localeCompare(b.code));
  const variants: ServiceSeed[] = [];
  for (const district of seed.districts) {
    for (const service of citywide) {
      if (variants.length >= count) return variants;
      variants.push({
        ...service,
        code: `${service.code}-${district.code}`,
        title: `${district.name}${service.title}`,
        titleEn: `${service.titleEn} (${district.nameEn})`,
        eligibility: { ...service.eligibility, districts: [district.code] },
      });
    }
  }
  return variants;
}
