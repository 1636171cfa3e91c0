import * as echarts from 'echarts';

/** One bar chart: a value per category for each series (a period's counts, shares, times). */
export interface BarChart {
  /** What the chart shows, in words: the SVG's accessible name. */
  title: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** The value axis' name ("Deliveries", "Per cent", "Hours"). */
  unit: string;
  /** Long category names (agencies) read better as horizontal bars. */
  horizontal?: boolean;
  /** A share's axis ends at 100. */
  max?: number;
}

/** GOV.UK Frontend's palette: blue, orange, turquoise, purple. */
const COLOURS = ['#1d70b8', '#f47738', '#28a197', '#4c2c92'];
const FONT = 'arial, sans-serif';
const WIDTH = 640;

/**
 * A bar chart as SVG, rendered on the server by Apache ECharts (its SSR mode: no DOM, no
 * JavaScript in the browser), then made safe for the console's strict Content-Security-Policy.
 */
export function barChartSvg(chart: BarChart): string {
  const rows = chart.categories.length;
  const height = chart.horizontal ? Math.max(160, 70 + rows * 26 * chart.series.length) : 300;
  const instance = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: WIDTH,
    height,
  });
  const categoryAxis = {
    type: 'category' as const,
    data: chart.categories,
    axisLabel: {
      fontFamily: FONT,
      fontSize: 12,
      color: '#0b0c0c',
      width: chart.horizontal ? 220 : 80,
      overflow: 'break' as const,
      interval: 0,
    },
    inverse: chart.horizontal,
  };
  const valueAxis = {
    type: 'value' as const,
    name: chart.unit,
    nameLocation: 'middle' as const,
    nameGap: chart.horizontal ? 28 : 42,
    nameTextStyle: { fontFamily: FONT, fontSize: 12, color: '#0b0c0c' },
    axisLabel: { fontFamily: FONT, fontSize: 12, color: '#0b0c0c' },
    minInterval: chart.max ? undefined : 1,
    max: chart.max,
  };
  instance.setOption({
    animation: false,
    color: COLOURS,
    textStyle: { fontFamily: FONT },
    grid: {
      left: chart.horizontal ? 230 : 60,
      right: 40,
      top: chart.series.length > 1 ? 40 : 20,
      bottom: 50,
    },
    legend:
      chart.series.length > 1
        ? { top: 0, textStyle: { fontFamily: FONT, fontSize: 12, color: '#0b0c0c' } }
        : undefined,
    xAxis: chart.horizontal ? valueAxis : categoryAxis,
    yAxis: chart.horizontal ? categoryAxis : valueAxis,
    series: chart.series.map((series) => ({
      type: 'bar',
      name: series.name,
      data: series.values,
      label: {
        show: true,
        position: chart.horizontal ? 'right' : 'top',
        fontFamily: FONT,
        fontSize: 12,
        color: '#0b0c0c',
      },
    })),
  });
  const svg = instance.renderToSVGString();
  instance.dispose();
  return forStrictCsp(svg, chart.title);
}

/**
 * The SVG as the page may inline it under `style-src 'self'` and `script-src 'self'`: ECharts
 * writes its text's font as a `style` attribute and hover effects in a `<style>` element, both
 * of which the policy refuses. The font becomes presentation attributes (which no policy
 * governs), the hover styles go (the chart is a picture here, not interactive), and so do
 * ECharts' own metadata attributes. It is named for screen readers as an image whose figures
 * are in the table beside it.
 */
export function forStrictCsp(svg: string, title: string): string {
  const cleaned = svg
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_, declarations: string) => presentation(declarations))
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttribute(title)}" focusable="false" `);
  if (/<script|\son[a-z]+=|javascript:|<style|\sstyle=/i.test(cleaned)) {
    throw new Error('the chart’s SVG still holds script or inline style');
  }
  return cleaned;
}

/** `font-size:12px;font-family:sans-serif;` → ` font-size="12px" font-family="sans-serif"`. */
function presentation(declarations: string): string {
  return declarations
    .split(';')
    .map((declaration) => declaration.split(':').map((part) => part.trim()))
    .filter(([property, value]) => /^[a-z-]+$/.test(property ?? '') && value)
    .map(([property, value]) => ` ${property}="${escapeAttribute(value)}"`)
    .join('');
}

function escapeAttribute(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
