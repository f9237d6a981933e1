// Charts with uPlot (loaded by its own script tag as the global `uPlot`): a bar chart per
// metric over the experiments, and step curves (a list metric's values, or values streamed
// while logging), downsampled to the chart's width.

import { $, clear, el } from "./dom.js";
import { alignCurves, downsample } from "./downsample.js";
import { fmtNumber, isNumber, isSeries, PALETTE, plotValue, shortLabel } from "./format.js";
import { fullRecord, state } from "./store.js";

const STEP_AXIS = {
  label: "step",
  labelSize: 18,
  incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1e6],
  grid: { stroke: "#eef1f6" },
};
const VALUE_AXIS = { size: 56, grid: { stroke: "#eef1f6" } };
const MAX_SERIES_LINES = 12;
const charts = new Map(); // key -> { plot, signature, width }
// What `localeCompare` does, without making a collator for every comparison of 50,000.
const collator = new Intl.Collator();

/** The box of a chart in `container` (made on first use), titled. */
export function chartBox(container, key, title) {
  let box = container.querySelector(`[data-chart="${CSS.escape(key)}"]`);
  if (!box) {
    box = el(
      "div",
      { class: "chart", "data-chart": key },
      el("h3", { text: title }),
      el("div", { class: "plot" }),
    );
    container.append(box);
  }
  return box;
}

/** Draws (or updates) one uPlot chart in `box`. */
export function plot(box, key, signature, options, data) {
  const target = box.querySelector(".plot");
  const width = Math.max(280, target.clientWidth || box.clientWidth - 20);
  const existing = charts.get(key);
  if (
    existing &&
    existing.signature === signature &&
    existing.width === width &&
    existing.plot.root.isConnected
  ) {
    existing.plot.setData(data);
    return;
  }
  if (existing) existing.plot.destroy();
  clear(target);
  const chart = new uPlot({ ...options, width, height: 220 }, data, target);
  charts.set(key, { plot: chart, signature, width });
}

/** Removes the charts of `container` whose key is not in `keep`. */
export function dropCharts(container, keep) {
  for (const box of [...container.querySelectorAll("[data-chart]")]) {
    const key = box.getAttribute("data-chart");
    if (!keep.has(key)) {
      charts.get(key)?.plot.destroy();
      charts.delete(key);
      box.remove();
    }
  }
}

/** Forgets the charts whose key starts with `prefix` (their page was redrawn). */
export function forgetCharts(prefix) {
  for (const key of [...charts.keys()]) {
    if (key.startsWith(prefix)) {
      charts.get(key).plot.destroy();
      charts.delete(key);
    }
  }
}

/** A y range that starts at zero, so bar heights compare honestly. */
function zeroBasedRange(_u, min, max) {
  const lo = Math.min(0, min ?? 0);
  const hi = Math.max(0, max ?? 0);
  const pad = (hi - lo) * 0.08 || 1;
  return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0];
}

/** A bar chart per numeric metric over `records`, oldest first. */
export function drawMetricCharts(records, metricNames) {
  const container = $("charts");
  const ordered = [...records].sort((a, b) =>
    collator.compare(a.created_at || "~", b.created_at || "~"),
  );
  const names = metricNames.filter((m) => ordered.some((r) => plotValue(r.metrics[m]) !== null));
  dropCharts(container, new Set(names.map((m) => `bar:${m}`)));
  container.querySelector(".empty")?.remove();
  if (names.length === 0) {
    container.append(el("div", { class: "empty", text: "No numeric metrics to chart yet." }));
    return;
  }
  const labels = ordered.map((r) => r.name);
  const labelsKey = labels.join("\u0000");
  const xs = ordered.map((_, i) => i);
  names.forEach((metric, i) => {
    const key = `bar:${metric}`;
    const listed = ordered.some((r) => Array.isArray(r.metrics[metric]));
    const box = chartBox(container, key, listed ? `${metric} (last value)` : metric);
    container.append(box);
    const color = PALETTE[i % PALETTE.length];
    const ys = ordered.map((r) => plotValue(r.metrics[metric]));
    const bars = ordered.length <= 300;
    const options = {
      scales: {
        x: { time: false, range: [-0.6, Math.max(ordered.length - 0.4, 0.4)] },
        y: { range: zeroBasedRange },
      },
      legend: { show: true },
      cursor: { points: { show: false } },
      axes: [
        {
          space: 96,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000],
          values: (_u, splits) =>
            splits.map((s) =>
              Number.isInteger(s) && labels[s] !== undefined ? shortLabel(labels[s], 13) : "",
            ),
          grid: { show: false },
        },
        VALUE_AXIS,
      ],
      series: [
        {
          label: "experiment",
          value: (_u, v) => (v === null || labels[v] === undefined ? "—" : labels[v]),
        },
        {
          label: metric,
          stroke: color,
          width: 1,
          // Bars while they can be told apart; a line through the points beyond that.
          paths: bars ? uPlot.paths.bars({ size: [0.65, 64] }) : undefined,
          fill: bars ? `${color}bb` : `${color}22`,
          points: { show: false },
          value: (_u, v) => (v === null ? "—" : fmtNumber(v)),
        },
      ],
    };
    plot(box, key, `${metric}|${ordered.length}|${labelsKey}`, options, [xs, ys]);
  });
}

/** The step curve of one metric of one record: a list metric's values, or streamed values. */
export function localCurve(record, name) {
  const value = record.metrics?.[name];
  if (isSeries(value)) {
    return { steps: value.map((_, i) => i), values: value.map((v) => (isNumber(v) ? v : null)) };
  }
  const streamed = state.history.get(record.slug)?.get(name);
  return streamed && streamed.values.length > 1 ? streamed : null;
}

/** Options of a step chart of these curves (each `{ label, color }`). */
export function curveOptions(curves, points) {
  return {
    scales: { x: { time: false } },
    axes: [STEP_AXIS, VALUE_AXIS],
    series: [
      { label: "step" },
      ...curves.map((c) => ({
        label: shortLabel(c.label, 28),
        stroke: c.color,
        width: 2,
        spanGaps: true,
        points: { show: points < 40, size: 5 },
        value: (_u, v) => (v === null ? "—" : fmtNumber(v)),
      })),
    ],
  };
}

/** Draws curves (each `{ label, color, steps, values }`) overlaid, downsampled to the width. */
export function drawCurves(box, key, curves) {
  const width = box.querySelector(".plot").clientWidth || 600;
  const reduced = curves.map((c) => ({ ...c, ...downsample(c.steps, c.values, width) }));
  const data = alignCurves(reduced);
  const signature = `${key}|${curves.map((c) => c.label).join("\u0000")}|${data[0].length < 40}`;
  plot(box, key, signature, curveOptions(curves, data[0].length), data);
  box.setAttribute("data-points", String(data[0].length));
  let max = -Infinity;
  for (const c of reduced) for (const v of c.values) if (v !== null && v > max) max = v;
  box.setAttribute("data-max", String(max));
}

/**
 * The curve of metric `name` of a summary row or record: its value's when that is a list
 * (the full record of a summary row that names it in `other_metrics`, fetched when missing),
 * or the values streamed. `null` when there is none yet.
 */
function overviewCurve(record, name) {
  if (!record.other_metrics?.includes(name)) return localCurve(record, name);
  const full = fullRecord(record.slug);
  return localCurve(full?.record ?? { slug: record.slug, metrics: {} }, name);
}

/**
 * A chart per metric with step curves over `records` (summary rows, or the records of the
 * experiments being logged): list metrics and streamed values, of the last
 * MAX_SERIES_LINES experiments that have each.
 */
export function drawSeriesCharts(records) {
  const container = $("series");
  const byMetric = new Map();
  for (const record of records) {
    const streamed = state.history.get(record.slug);
    const names = new Set([
      ...Object.keys(record.metrics || {}),
      ...(record.other_metrics || []),
      ...(streamed ? streamed.keys() : []),
    ]);
    for (const name of names) {
      const lists = record.other_metrics?.includes(name);
      if (!lists && !localCurve(record, name)) continue;
      if (!byMetric.has(name)) byMetric.set(name, []);
      byMetric.get(name).push(record);
    }
  }
  const curves = new Map();
  for (const [name, holders] of byMetric) {
    const lines = holders
      .slice(-MAX_SERIES_LINES)
      .map((record) => ({ record, curve: overviewCurve(record, name) }))
      .filter((line) => line.curve !== null);
    if (lines.length > 0) curves.set(name, lines);
  }
  $("series-card").hidden = curves.size === 0;
  const names = [...curves.keys()].sort();
  dropCharts(container, new Set(names.map((m) => `line:${m}`)));
  for (const metric of names) {
    const lines = curves.get(metric);
    const key = `line:${metric}`;
    const box = chartBox(container, key, metric);
    container.append(box);
    drawCurves(
      box,
      key,
      lines.map((l, i) => ({
        label: l.record.name,
        color: PALETTE[i % PALETTE.length],
        ...l.curve,
      })),
    );
  }
}
