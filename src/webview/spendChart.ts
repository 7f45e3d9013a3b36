import type { Chart } from 'chart.js' with { 'resolution-mode': 'import' };
import type { DailySpend } from '../core/report/costReportTypes';
import { formatUsd } from '../core/estimate/formatting';
import { formatMoney } from '../core/report/formatMoney';

/**
 * Loads Chart.js with only the pieces this chart uses registered. Chart.js is ESM-only: a dynamic import keeps
 * `tsc` (module Node16) happy, and esbuild inlines it into the one iife bundle (no extra script to load).
 */
async function loadChartJs(): Promise<typeof Chart> {
  const chartJs = await import('chart.js');
  const {
    BarController,
    BarElement,
    CategoryScale,
    Legend,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Tooltip,
  } = chartJs;
  chartJs.Chart.register(
    BarController,
    BarElement,
    CategoryScale,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Tooltip,
    Legend,
  );
  return chartJs.Chart;
}

/** The theme colours the chart reads from VS Code's CSS variables. */
interface ChartColors {
  readonly spend: string;
  readonly saved: string;
  readonly text: string;
  readonly grid: string;
  readonly font: string;
}

function themeColors(): ChartColors {
  const style = getComputedStyle(document.body);
  const variable = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    spend: variable('--vscode-charts-blue', '#3794ff'),
    saved: variable('--vscode-charts-green', '#89d185'),
    text: variable('--vscode-descriptionForeground', variable('--vscode-foreground', '#888888')),
    grid: variable('--vscode-widget-border', variable('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.35)')),
    font: variable('--vscode-font-family', 'sans-serif'),
  };
}

/**
 * Spend per day (bars) and savings per day (line) on a canvas, in the theme's chart colours; re-coloured when
 * the theme changes. No animation: updates arrive live and must not flicker.
 */
export class SpendChart {
  private readonly chart: Chart<'bar' | 'line', number[], string>;
  private readonly themeObserver: MutationObserver;
  private days: readonly DailySpend[] = [];

  /** Creates the chart on `canvas`. */
  static async create(canvas: HTMLCanvasElement): Promise<SpendChart> {
    return new SpendChart(canvas, await loadChartJs());
  }

  private constructor(
    readonly canvas: HTMLCanvasElement,
    ChartClass: typeof Chart,
  ) {
    const colors = themeColors();
    this.chart = new ChartClass<'bar' | 'line', number[], string>(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkipPadding: 8 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { maxTicksLimit: 4, callback: (value) => formatUsd(Number(value)) } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
          tooltip: { callbacks: { label: (item) => this.tooltipLabel(item.datasetIndex, item.dataIndex) } },
        },
      },
    });
    this.applyColors(colors);
    this.themeObserver = new MutationObserver(() => {
      this.applyColors(themeColors());
      this.chart.update();
    });
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** Shows these days (known USD; a day with unknown prices says so in its tooltip). */
  update(days: readonly DailySpend[]): void {
    this.days = days;
    const colors = themeColors();
    this.chart.data.labels = days.map((day) => day.day.slice(5));
    this.chart.data.datasets = [
      {
        type: 'bar',
        label: 'Spend',
        data: days.map((day) => day.spend.knownUsd),
        backgroundColor: colors.spend,
        borderRadius: 2,
        order: 2,
      },
      {
        type: 'line',
        label: 'Saved',
        data: days.map((day) => day.saved.knownUsd),
        borderColor: colors.saved,
        backgroundColor: colors.saved,
        pointRadius: 0,
        borderWidth: 2,
        order: 1,
      },
    ];
    this.chart.update();
  }

  private tooltipLabel(datasetIndex: number, dataIndex: number): string {
    const day = this.days[dataIndex];
    if (!day) return '';
    return datasetIndex === 0
      ? `Spend ${formatMoney(day.spend)} (${day.calls} calls)`
      : `Saved ${formatMoney(day.saved)}`;
  }

  /** Sets the theme on this chart's own options (never on Chart.defaults, which every chart shares). */
  private applyColors(colors: ChartColors): void {
    const options = this.chart.options;
    const font = { family: colors.font, size: 11 };
    for (const axis of [options.scales?.x, options.scales?.y]) {
      if (!axis) continue;
      axis.ticks = { ...axis.ticks, color: colors.text, font };
      axis.grid = { ...axis.grid, color: colors.grid };
      axis.border = { ...axis.border, color: colors.grid };
    }
    const legend = options.plugins?.legend;
    if (legend) legend.labels = { ...legend.labels, color: colors.text, font };
    for (const dataset of this.chart.data.datasets) {
      if (dataset.type === 'line') {
        dataset.borderColor = colors.saved;
        dataset.backgroundColor = colors.saved;
      } else dataset.backgroundColor = colors.spend;
    }
  }

  dispose(): void {
    this.themeObserver.disconnect();
    this.chart.destroy();
  }
}
