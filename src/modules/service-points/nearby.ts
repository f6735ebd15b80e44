import { haversineMetres, wgs84ToGcj02, type LatLong } from '../../geo/geometry';
import { isOpenAt, type ServicePoint } from '../../geo/service-points';

/** Where a citizen is, as far as a request tells: a GPS position and/or a district. */
export interface MatchOrigin {
  /** WGS-84, as sent. */
  near: LatLong | null;
  districtCode: string | null;
}

/**
 * The district a text says the citizen is in: a full name (花溪区, 清镇市) anywhere, or the short
 * name after 在 (我在花溪…). Null when it names none or more than one.
 */
export function districtNamedIn(text: string, districts: { code: string; name: string }[]): string | null {
  const named = districts.filter((d) => {
    const short = d.name.replace(/[区县市]$/, '');
    return text.includes(d.name) || (short.length >= 2 && text.includes(`在${short}`));
  });
  return named.length === 1 ? named[0].code : null;
}

/**
 * Points open at `instant` for a citizen at `origin`: nearest first from the position (with
 * distances), else those of the district; none when the origin is unknown.
 */
export function nearbyOpenPoints(
  points: ServicePoint[],
  origin: MatchOrigin | undefined,
  instant: Date,
  first: number,
): { point: ServicePoint; distanceMetres: number | null }[] {
  if (!origin || (!origin.near && !origin.districtCode)) return [];
  const open = points.filter((p) => isOpenAt(p, instant));
  if (origin.near) {
    const from = wgs84ToGcj02(origin.near);
    return open
      .map((point) => ({ point, distanceMetres: haversineMetres(from, point.location) as number | null }))
      .sort((a, b) => a.distanceMetres! - b.distanceMetres! || a.point.code.localeCompare(b.point.code))
      .slice(0, first);
  }
  return open
    .filter((p) => p.districtCode === origin.districtCode)
    .slice(0, first)
    .map((point) => ({ point, distanceMetres: null }));
}
