import * as echarts from "echarts";
const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 800, height: 300 });
const target = 80;
chart.setOption({
  animation: false,
  xAxis: { type: "category", data: ["1/2026", "10/2026", "11/2026", "12/2026"] },
  yAxis: { type: "value", max: (extent) => Math.max(extent.max, target) },
  series: [
    { name: "a", type: "line", data: [30, 60, null, null], connectNulls: true,
      markLine: { symbol: "none", label: { formatter: "Mục tiêu" }, data: [{ yAxis: target, name: "t" }] } },
    { name: "b", type: "line", data: [null, 60, 63, 66], lineStyle: { type: "dashed" } },
  ],
});
const svg = chart.renderToSVGString();
console.log(svg.includes("Mục tiêu"), (svg.match(/>(\d+)</g) || []).join(" "));
