import { BarChart, HeatmapChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import type { EChartsCoreOption } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartClick = { seriesIndex?: number; dataIndex: number; name: string; data: unknown };

/** One ECharts chart that follows its container's size; a click on a data point calls `onClick` (drill-down). */
export function EChart({
  option,
  height = 280,
  onClick,
  testId,
  dark = false,
}: {
  option: EChartsCoreOption;
  height?: number;
  onClick?: (p: ChartClick) => void;
  testId?: string;
  dark?: boolean;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, dark ? "dark" : undefined);
    chart.current = c;
    c.on("click", (p) => click.current?.(p as unknown as ChartClick));
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [dark]);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={el} style={{ width: "100%", height, cursor: onClick ? "pointer" : undefined }} data-testid={testId} />;
}
