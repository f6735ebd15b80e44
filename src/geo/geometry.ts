/** A position as longitude and latitude in degrees. */
export interface LatLong {
  lat: number;
  long: number;
}

const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function haversineMetres(a: LatLong, b: LatLong): number {
  const dLat = rad(b.lat - a.lat);
  const dLong = rad(b.long - a.long);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Throws unless lat is in [-90, 90] and long in [-180, 180]. */
export function assertLatLong(p: LatLong): void {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.long) || Math.abs(p.lat) > 90 || Math.abs(p.long) > 180) {
    throw new Error(`not a latitude/longitude: ${p.lat}, ${p.long}`);
  }
}

/** A ring of [long, lat] vertices, first and last equal (GeoJSON order). */
export type Ring = [number, number][];

/** Whether p lies on the segment a–b (within a tolerance far below the data's 1/1024° grid). */
function onSegment(x: number, y: number, a: [number, number], b: [number, number]): boolean {
  const eps = 1e-9;
  const cross = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
  if (Math.abs(cross) > eps) return false;
  return (
    x >= Math.min(a[0], b[0]) - eps &&
    x <= Math.max(a[0], b[0]) + eps &&
    y >= Math.min(a[1], b[1]) - eps &&
    y <= Math.max(a[1], b[1]) + eps
  );
}

/** 'inside', 'border' (on an edge or vertex) or 'outside' of a ring, by ray casting. */
export function ringContains(ring: Ring, p: LatLong): 'inside' | 'border' | 'outside' {
  const x = p.long;
  const y = p.lat;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (onSegment(x, y, a, b)) return 'border';
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/** A GeoJSON polygon's rings: the outer ring then holes. */
export function polygonContains(rings: Ring[], p: LatLong): 'inside' | 'border' | 'outside' {
  const outer = ringContains(rings[0], p);
  if (outer !== 'inside') return outer;
  for (const hole of rings.slice(1)) {
    const h = ringContains(hole, p);
    if (h === 'border') return 'border';
    if (h === 'inside') return 'outside';
  }
  return 'inside';
}

// WGS-84 → GCJ-02, the offset that Chinese map data (AMap, Tencent) is published in by law.
// The published constants of the transform; outside mainland China the offset is not applied.
const GCJ_A = 6378245.0;
const GCJ_EE = 0.006693421622965943;

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLong(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

function outsideChina(p: LatLong): boolean {
  return p.long < 72.004 || p.long > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

/** Converts a WGS-84 position (GPS, Open311 clients) to GCJ-02 (the boundaries and service points). */
export function wgs84ToGcj02(p: LatLong): LatLong {
  if (outsideChina(p)) return { ...p };
  let dLat = transformLat(p.long - 105, p.lat - 35);
  let dLong = transformLong(p.long - 105, p.lat - 35);
  const radLat = rad(p.lat);
  let magic = Math.sin(radLat);
  magic = 1 - GCJ_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtMagic)) * Math.PI);
  dLong = (dLong * 180) / ((GCJ_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: p.lat + dLat, long: p.long + dLong };
}

/**
 * Converts a GCJ-02 position back to WGS-84 by fixed-point iteration on `wgs84ToGcj02` (the
 * offset varies slowly, so each step gains about three digits; within 1e-12° in a few steps).
 */
export function gcj02ToWgs84(p: LatLong): LatLong {
  let w = { ...p };
  for (let i = 0; i < 20; i++) {
    const g = wgs84ToGcj02(w);
    const dLat = g.lat - p.lat;
    const dLong = g.long - p.long;
    w = { lat: w.lat - dLat, long: w.long - dLong };
    if (Math.abs(dLat) < 1e-12 && Math.abs(dLong) < 1e-12) break;
  }
  return w;
}
