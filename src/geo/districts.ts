import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assertLatLong, LatLong, polygonContains, Ring, wgs84ToGcj02 } from './geometry';

/**
 * Guiyang's ten county-level divisions as GeoJSON MultiPolygons in GCJ-02 (see docs/service-guides.md),
 * resolving a position to its district code by point-in-polygon.
 */
export interface DistrictBoundary {
  code: string;
  name: string;
  polygons: Ring[][];
  bbox: [number, number, number, number]; // min long, min lat, max long, max lat
}

interface BoundaryFile {
  features: { properties: { code: string; name: string }; geometry: { type: string; coordinates: number[][][][] } }[];
}

export function loadBoundaries(file: BoundaryFile): DistrictBoundary[] {
  return file.features.map((f) => {
    if (f.geometry.type !== 'MultiPolygon') throw new Error(`${f.properties.code}: expected a MultiPolygon`);
    const polygons = f.geometry.coordinates as Ring[][];
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of polygons) {
      for (const [x, y] of polygon[0]) {
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
    }
    return { code: f.properties.code, name: f.properties.name, polygons, bbox: [minX, minY, maxX, maxY] };
  });
}

const BOUNDARY_FILE = 'guiyang-districts.geo.json';
let loaded: DistrictBoundary[] | null = null;

/** The city's boundaries from seeds/geo (read once, from the sources or beside the build output). */
export function guiyangDistricts(): DistrictBoundary[] {
  if (loaded) return loaded;
  const candidates = [
    path.join(__dirname, '..', '..', 'seeds', 'geo'),
    path.join(__dirname, '..', '..', '..', 'seeds', 'geo'),
  ];
  const dir = candidates.find((d) => existsSync(path.join(d, BOUNDARY_FILE)));
  if (!dir) throw new Error(`seeds/geo/${BOUNDARY_FILE} not found`);
  loaded = loadBoundaries(JSON.parse(readFileSync(path.join(dir, BOUNDARY_FILE), 'utf8')) as BoundaryFile);
  return loaded;
}

function districtContains(d: DistrictBoundary, p: LatLong): 'inside' | 'border' | 'outside' {
  const [minX, minY, maxX, maxY] = d.bbox;
  if (p.long < minX || p.long > maxX || p.lat < minY || p.lat > maxY) return 'outside';
  let border = false;
  for (const polygon of d.polygons) {
    const where = polygonContains(polygon, p);
    if (where === 'inside') return 'inside';
    if (where === 'border') border = true;
  }
  return border ? 'border' : 'outside';
}

/** Every district whose area or border holds the GCJ-02 position (two or more on a shared border). */
export function districtsAt(p: LatLong, districts: DistrictBoundary[] = guiyangDistricts()): string[] {
  assertLatLong(p);
  return districts
    .filter((d) => districtContains(d, p) !== 'outside')
    .map((d) => d.code)
    .sort();
}

/**
 * The district code of a GCJ-02 position, or null outside the city. A point inside a district
 * wins over a border; on a border shared by two districts the lower code is taken, so that the
 * answer is the same every time.
 */
export function districtAt(p: LatLong, districts: DistrictBoundary[] = guiyangDistricts()): string | null {
  assertLatLong(p);
  let onBorder: string | null = null;
  for (const d of districts) {
    const where = districtContains(d, p);
    if (where === 'inside') return d.code;
    if (where === 'border' && (onBorder === null || d.code < onBorder)) onBorder = d.code;
  }
  return onBorder;
}

/** The district code of a GPS (WGS-84) position, converted to GCJ-02 first, or null outside the city. */
export function districtAtGps(p: LatLong, districts: DistrictBoundary[] = guiyangDistricts()): string | null {
  assertLatLong(p);
  return districtAt(wgs84ToGcj02(p), districts);
}
