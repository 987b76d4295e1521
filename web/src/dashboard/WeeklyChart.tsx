import type { ChartWeek } from '@fanlab/shared';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import { useTheme } from '../shell/theme';
import 'uplot/dist/uPlot.min.css';

export type ChartField = Exclude<keyof ChartWeek, 'week'>;

const HEIGHT = 180;
/** Whole numbers only on the value axis: these are counts. */
const COUNT_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1e6, 1e7,
];

/** Room for one date under the chart, in CSS pixels. */
const LABEL_SPACE = 64;

/**
 * The weeks that get a tick and a date: every week while they fit, else every n-th, counted back
 * from the newest (always labelled).
 */
export function labelledWeeks(weeks: readonly number[], width: number): number[] {
  const every = Math.max(1, Math.ceil((weeks.length * LABEL_SPACE) / Math.max(1, width)));
  return weeks.filter((_, i) => (weeks.length - 1 - i) % every === 0);
}

/** Seconds since the epoch of a week's Monday (YYYY-MM-DD, UTC). */
const weekSeconds = (week: string) => Date.parse(`${week}T00:00:00Z`) / 1000;

/**
 * One weekly series drawn by uPlot on a canvas, as wide as its container (it follows the
 * container's size). The canvas is a picture: the numbers are in the table beside it.
 */
export function WeeklyChart({
  weeks,
  field,
  label,
}: {
  weeks: readonly ChartWeek[];
  field: ChartField;
  label: string;
}) {
  const { t, i18n } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const locale = i18n.resolvedLanguage;
  // drawn again in the other scheme's colours when the theme changes
  const { scheme } = useTheme();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the colours read inside follow the scheme
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const style = getComputedStyle(element);
    // the colours are light-dark() pairs (styles.css): a probe resolves one to what is shown now
    const probe = document.createElement('span');
    element.append(probe);
    const resolved = new Map<string, string>();
    for (const name of ['--muted', '--border', '--accent', '--accent-soft']) {
      probe.style.color = `var(${name})`;
      resolved.set(name, getComputedStyle(probe).color);
    }
    probe.remove();
    const color = (name: string, fallback: string) =>
      resolved.get(name) || style.getPropertyValue(name).trim() || fallback;
    const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const count = new Intl.NumberFormat(locale);
    const dateOf = (seconds: number) => day.format(new Date(seconds * 1000));
    const axis = {
      stroke: color('--muted', '#55535f'),
      grid: { stroke: color('--border', '#d9d7e0'), width: 1 },
      ticks: { stroke: color('--border', '#d9d7e0'), width: 1 },
      font: `12px ${color('--font', 'system-ui')}`,
    };
    const options: uPlot.Options = {
      width: element.clientWidth,
      height: HEIGHT,
      // weeks start on Monday in UTC: ticks fall on UTC days
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false } },
      // the numbers are in the table beside the chart (uPlot's legend speaks English only)
      legend: { show: false },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        {
          label,
          stroke: color('--accent', '#5b3cc4'),
          fill: color('--accent-soft', '#eee9fb'),
          width: 2,
        },
      ],
      axes: [
        {
          ...axis,
          // ticks on the weeks' Mondays, not on uPlot's round dates
          splits: (u) => labelledWeeks(u.data[0] as number[], u.bbox.width / uPlot.pxRatio),
          values: (_u, splits) => splits.map(dateOf),
        },
        { ...axis, size: 48, incrs: COUNT_STEPS, values: (_u, splits) => splits.map((v) => count.format(v)) },
      ],
    };
    const data: uPlot.AlignedData = [weeks.map((w) => weekSeconds(w.week)), weeks.map((w) => w[field])];
    const chart = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientWidth !== chart.width) {
        chart.setSize({ width: element.clientWidth, height: HEIGHT });
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [weeks, field, label, locale, scheme]);
  return (
    <div
      ref={box}
      className="dashboard-chart-canvas"
      role="img"
      aria-label={t('dashboard.chartImage', { name: label })}
      data-testid="weekly-chart"
    />
  );
}
