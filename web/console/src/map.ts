// The map of demand and unmet demand by district: ECharts' map series on the district
// boundaries of seeds/geo (GeoJSON, GCJ-02), bundled with the page, so nothing is fetched.
import { MapChart, type MapSeriesOption } from 'echarts/charts';
import {
  TooltipComponent,
  VisualMapContinuousComponent,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import guiyang from '../../../seeds/geo/guiyang-districts.geo.json';
import type { District } from './api';
import { formatNumber, label, t } from './i18n';

echarts.use([MapChart, VisualMapContinuousComponent, TooltipComponent]);

export const MAP_NAME = 'guiyang';
// Features are matched to data by their GB/T 2260 code (properties.code), not by name.
echarts.registerMap(MAP_NAME, guiyang as unknown as Parameters<typeof echarts.registerMap>[1]);

export type MapMeasure = 'demand' | 'unmet';
export type MapOption = echarts.ComposeOption<MapSeriesOption | VisualMapComponentOption | TooltipComponentOption>;

/** The district codes the boundaries cover. */
export const MAP_DISTRICTS: string[] = guiyang.features.map((f) => f.properties.code);

/**
 * One value per district of the boundaries (0 where nothing was counted), coloured from pale
 * to dark; the label and tooltip give the district's name in the current language.
 */
export function mapOption(counts: Map<string, number>, districts: District[], measure: MapMeasure): MapOption {
  const names = new Map(districts.map((d) => [d.code, label(d)]));
  const data = MAP_DISTRICTS.map((code) => ({ name: code, value: counts.get(code) ?? 0 }));
  const max = Math.max(1, ...data.map((d) => d.value));
  const nameOf = (code: string) => names.get(code) ?? code;
  const unit = t(measure === 'demand' ? 'mapDemandUnit' : 'unmetRequests');
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { name, value } = p as { name: string; value: number };
        return `${nameOf(name)}<br/>${unit}: ${formatNumber(Number.isFinite(value) ? value : 0)}`;
      },
    },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      left: 8,
      bottom: 8,
      calculable: false,
      text: [formatNumber(max), '0'],
      inRange: { color: measure === 'demand' ? ['#e8f1fb', '#1f5fa8'] : ['#fdf0e6', '#c2410c'] },
    },
    series: [
      {
        type: 'map',
        map: MAP_NAME,
        nameProperty: 'code',
        roam: false,
        aspectScale: 0.9,
        label: { show: true, fontSize: 10, formatter: (p: unknown) => nameOf((p as { name: string }).name) },
        emphasis: { label: { show: true } },
        data,
      },
    ],
  };
}
