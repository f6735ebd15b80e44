import { ServiceOffering } from './service.entity';

/** Columns of `service s` under the entity's property names, for raw SQL reads. */
export const SERVICE_COLUMNS = `s.id, s.code, s.title, s.title_en AS "titleEn", s.summary, s.description,
  s.category_id AS "categoryId", s.tags, s.department_id AS "departmentId", s.channels::text[] AS channels,
  s.min_age AS "minAge", s.max_age AS "maxAge", s.required_tags AS "requiredTags",
  s.district_codes::text[] AS "districtCodes", s.status, s.version, s.published_at AS "publishedAt",
  s.retired_at AS "retiredAt", s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

export function serviceFromRow(row: Record<string, unknown>): ServiceOffering {
  return Object.assign(new ServiceOffering(), row);
}
