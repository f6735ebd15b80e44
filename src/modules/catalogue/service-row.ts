import { ServiceOffering } from './service.entity';

/**
 * Columns of `service s` under the entity's property names, for raw SQL reads, in groups: a
 * page reads the groups its selection needs (parsing timestamps and arrays nobody asked for
 * is most of a page's row-parsing time).
 */
const COLUMN_GROUPS = {
  core: `s.id, s.code, s.title, s.status, s.version, s.category_id AS "categoryId", s.department_id AS "departmentId"`,
  text: `s.title_en AS "titleEn", s.summary, s.description`,
  lists: `s.tags, s.channels::text[] AS channels`,
  eligibility: `s.min_age AS "minAge", s.max_age AS "maxAge", s.required_tags AS "requiredTags", s.district_codes::text[] AS "districtCodes"`,
  dates: `s.published_at AS "publishedAt", s.retired_at AS "retiredAt", s.created_at AS "createdAt", s.updated_at AS "updatedAt"`,
} as const;

type ColumnGroup = keyof typeof COLUMN_GROUPS;

const ALL_GROUPS = Object.keys(COLUMN_GROUPS) as ColumnGroup[];

export const SERVICE_COLUMNS = ALL_GROUPS.map((group) => COLUMN_GROUPS[group]).join(',\n  ');

/**
 * The column group each field of ServiceOffering reads; fields resolved by loaders from the
 * id need only the core group. A field missing here (one added later) reads every column.
 */
const GROUP_OF_FIELD: Record<string, ColumnGroup> = {
  id: 'core',
  code: 'core',
  title: 'core',
  status: 'core',
  version: 'core',
  category: 'core',
  department: 'core',
  coDepartments: 'core',
  guide: 'core',
  points: 'core',
  stats: 'core',
  viewerVote: 'core',
  titleEn: 'text',
  summary: 'text',
  description: 'text',
  tags: 'lists',
  channels: 'lists',
  eligibility: 'eligibility',
  publishedAt: 'dates',
  retiredAt: 'dates',
};

export interface ServiceColumns {
  sql: string;
  /** Every column is read: the rows are whole services (a loader may be primed with them). */
  complete: boolean;
}

/** The columns that the ServiceOffering fields `fieldNames` need (always the core group). */
export function serviceColumnsFor(fieldNames: readonly string[]): ServiceColumns {
  const groups = new Set<ColumnGroup>(['core']);
  for (const name of fieldNames) {
    const group = GROUP_OF_FIELD[name];
    if (group === undefined) return { sql: SERVICE_COLUMNS, complete: true };
    groups.add(group);
  }
  const chosen = ALL_GROUPS.filter((group) => groups.has(group));
  return {
    sql: chosen.map((group) => COLUMN_GROUPS[group]).join(',\n  '),
    complete: chosen.length === ALL_GROUPS.length,
  };
}

export function serviceFromRow(row: Record<string, unknown>): ServiceOffering {
  return Object.assign(new ServiceOffering(), row);
}
