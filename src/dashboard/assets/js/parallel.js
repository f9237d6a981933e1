// Parallel coordinates: one vertical axis per parameter (at most six, those with the most
// experiments) and the chosen metric last; each experiment a line across them, coloured by its
// metric value (blue low, orange high). Numeric axes are linear, or logarithmic when they span
// decades; text values are spread as categories. Lines are faint so that dense regions show.

import { $, fitCanvas } from "./dom.js";
import { extent, fmtNumber, isNumber, plotValue, shortLabel } from "./format.js";
import { allRows } from "./store.js";

const HEIGHT = 300;
const PAD = { left: 40, right: 56, top: 30, bottom: 24 };
const MAX_AXES = 6;
const MAX_LINES = 5000;

/** An axis over `values` (of the rows that have them): where each value goes, 0 (bottom) to 1. */
function axis(name, values) {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length > 0 && present.every(isNumber)) {
    const [lo, hi] = extent(present);
    const log = lo > 0 && hi / lo >= 100;
    const f = log ? Math.log10 : (v) => v;
    const [a, b] = [f(lo), f(hi)];
    return {
      name,
      kind: log ? "log" : "linear",
      at: (v) => (isNumber(v) ? (a === b ? 0.5 : (f(v) - a) / (b - a)) : null),
      labels: [fmtNumber(lo), fmtNumber(hi)],
    };
  }
  const categories = [...new Set(present.map((v) => JSON.stringify(v)))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const n = categories.length;
  return {
    name,
    kind: "category",
    at: (v) =>
      v === undefined || v === null ? null : n === 1 ? 0.5 : index.get(JSON.stringify(v)) / (n - 1),
    labels: [categories[0], categories[n - 1]].map((c) =>
      shortLabel(String(JSON.parse(c ?? '""')), 10),
    ),
  };
}

/** Draws the parallel coordinates of `parameters` (the most common ones) and `metric`. */
export function drawParallel(parameters, metric) {
  const card = $("parallel-card");
  const records = allRows()
    .map((r) => r.record)
    .filter((r) => plotValue(r.metrics?.[metric]) !== null);
  const counts = parameters.map((p) => [
    p,
    records.filter((r) => r.parameters?.[p] !== undefined).length,
  ]);
  const names = counts
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, MAX_AXES)
    .map(([p]) => p)
    .sort((a, b) => parameters.indexOf(a) - parameters.indexOf(b));
  card.hidden = names.length < 2 || records.length < 2;
  if (card.hidden) return;
  const step = Math.max(1, Math.ceil(records.length / MAX_LINES));
  const shown = records.filter((_, i) => i % step === 0);
  const axes = [
    ...names.map((p) =>
      axis(
        p,
        shown.map((r) => r.parameters?.[p]),
      ),
    ),
    axis(
      metric,
      shown.map((r) => plotValue(r.metrics[metric])),
    ),
  ];
  const canvas = $("parallel");
  const { g, width } = fitCanvas(canvas, HEIGHT);
  const W = width - PAD.left - PAD.right;
  const H = HEIGHT - PAD.top - PAD.bottom;
  const ax = (i) => PAD.left + (W * i) / (axes.length - 1);
  const ay = (t) => PAD.top + (1 - t) * H;
  const metricAxis = axes[axes.length - 1];
  g.globalAlpha = Math.max(0.08, Math.min(0.7, 40 / shown.length));
  g.lineWidth = 1.4;
  for (const r of shown) {
    const t = metricAxis.at(plotValue(r.metrics[metric]));
    g.strokeStyle = `hsl(${220 - 190 * t}, 75%, 48%)`;
    g.beginPath();
    let drawing = false;
    axes.forEach((a, i) => {
      const v = i === axes.length - 1 ? plotValue(r.metrics[metric]) : r.parameters?.[a.name];
      const at = a.at(v);
      if (at === null) {
        drawing = false;
        return;
      }
      if (drawing) g.lineTo(ax(i), ay(at));
      else g.moveTo(ax(i), ay(at));
      drawing = true;
    });
    g.stroke();
  }
  g.globalAlpha = 1;
  g.font = "11px system-ui, sans-serif";
  g.textAlign = "center";
  axes.forEach((a, i) => {
    g.strokeStyle = "#adb5bd";
    g.beginPath();
    g.moveTo(ax(i), PAD.top);
    g.lineTo(ax(i), PAD.top + H);
    g.stroke();
    g.fillStyle = "#1c2333";
    g.fillText(`${shortLabel(a.name, 16)}${a.kind === "log" ? " (log)" : ""}`, ax(i), 14);
    g.fillStyle = "#6b7486";
    g.fillText(a.labels[1], ax(i), PAD.top - 4);
    g.fillText(a.labels[0], ax(i), PAD.top + H + 14);
  });
  $("parallel-caption").textContent =
    `${shown.length} of ${records.length} experiments with ${metric}${step > 1 ? ` (every ${step}th)` : ""}, across ${names.join(", ")}; colour: ${metric}, blue low, orange high.`;
}
