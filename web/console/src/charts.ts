// The two charts: demand over time (lines) and unmet demand by district (stacked bars).
// Only the parts of ECharts they use are imported, so the bundle carries nothing else.
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { DemandDimension, DemandTrend, Granularity, UnmetCluster } from './api';
import { cityDate, label, t, tEnum } from './i18n';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = echarts.ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** Lines beyond this many (the smallest) are added up as one "other" line. */
const MAX_LINES = 8;
/** Clusters beyond this many (the smallest) are added up as one "other" bar segment. */
const MAX_CLUSTERS = 5;

export interface Chart {
  /** Draws the option; `drawn` runs once the drawing (and its animation) has finished. */
  draw(option: echarts.EChartsCoreOption, drawn: () => void): void;
  resize(): void;
}

export function createChart(element: HTMLElement): Chart {
  const chart = echarts.init(element, undefined, { renderer: 'canvas' });
  let pending: (() => void) | null = null;
  chart.on('finished', () => {
    const done = pending;
    pending = null;
    done?.();
  });
  return {
    draw(option, drawn) {
      pending = drawn;
      chart.setOption(option, { notMerge: true });
    },
    resize: () => chart.resize(),
  };
}

function seriesName(trend: DemandTrend, split: DemandDimension | null): string {
  switch (split) {
    case 'KIND':
      return trend.kind ? tEnum('kind', trend.kind) : t('otherSeries');
    case 'CATEGORY':
      return trend.category ? label(trend.category) : t('uncategorised');
    case 'DISTRICT':
      return trend.district ? label(trend.district) : t('otherSeries');
    case 'AGE_BAND':
      return trend.ageBand ? tEnum('ageBand', trend.ageBand) : t('ageBand.unknown');
    default:
      return t('signals');
  }
}

function periodLabel(periodStart: string, granularity: Granularity): string {
  const day = cityDate(periodStart);
  return granularity === 'MONTH' ? day.slice(0, 7) : day.slice(5);
}

export function trendsOption(
  trends: DemandTrend[],
  split: DemandDimension | null,
  granularity: Granularity,
): ChartOption {
  const periods = trends[0]?.points.map((p) => p.periodStart) ?? [];
  const ranked = [...trends].sort((a, b) => b.total - a.total);
  const shown = ranked.slice(0, MAX_LINES);
  const rest = ranked.slice(MAX_LINES);
  const lines = shown.map((trend) => ({ name: seriesName(trend, split), data: trend.points.map((p) => p.signals) }));
  if (rest.length > 0) {
    lines.push({
      name: t('otherSeries'),
      data: periods.map((_, i) => rest.reduce((sum, trend) => sum + (trend.points[i]?.signals ?? 0), 0)),
    });
  }
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0, show: lines.length > 1 },
    grid: { left: 48, right: 24, top: lines.length > 1 ? 40 : 16, bottom: 32 },
    xAxis: { type: 'category', boundaryGap: false, data: periods.map((p) => periodLabel(p, granularity)) },
    yAxis: { type: 'value', name: t('signals'), minInterval: 1 },
    series: lines.map((line) => ({
      type: 'line',
      name: line.name,
      data: line.data,
      showSymbol: periods.length <= 31,
      smooth: false,
      emphasis: { focus: 'series' },
    })),
  };
}

export function unmetOption(clusters: UnmetCluster[]): ChartOption {
  const totals = new Map<string, { name: string; count: number }>();
  for (const cluster of clusters) {
    for (const { district, count } of cluster.districts) {
      const entry = totals.get(district.code) ?? { name: label(district), count: 0 };
      entry.count += count;
      totals.set(district.code, entry);
    }
  }
  const districts = [...totals.entries()].sort((a, b) => b[1].count - a[1].count);
  const countIn = (cluster: UnmetCluster, code: string) =>
    cluster.districts.find((d) => d.district.code === code)?.count ?? 0;
  const shown = clusters.slice(0, MAX_CLUSTERS); // the API sends the largest first
  const rest = clusters.slice(MAX_CLUSTERS);
  const segments = shown.map((cluster) => ({
    name: cluster.label,
    data: districts.map(([code]) => countIn(cluster, code)),
  }));
  if (rest.length > 0) {
    segments.push({
      name: t('otherSeries'),
      data: districts.map(([code]) => rest.reduce((sum, cluster) => sum + countIn(cluster, code), 0)),
    });
  }
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 48 },
    xAxis: {
      type: 'category',
      data: districts.map(([, entry]) => entry.name),
      axisLabel: { interval: 0, rotate: districts.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', name: t('unmetRequests'), minInterval: 1 },
    series: segments.map((segment) => ({
      type: 'bar',
      stack: 'clusters',
      name: segment.name,
      data: segment.data,
      emphasis: { focus: 'series' },
    })),
  };
}
