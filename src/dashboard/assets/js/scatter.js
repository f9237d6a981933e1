// A parameter against a metric over every experiment, drawn on a canvas (50,000 points draw
// at once): numeric parameters on a linear or, when they span decades, a log axis; others as
// categories. Hovering a point names its experiment.

import { $, clear, el, fitCanvas } from "./dom.js";
import { extent, fmtNumber, isNumber, plotValue, shortLabel } from "./format.js";
import { drawParallel } from "./parallel.js";
import { allRows, state } from "./store.js";
import { columnNames } from "./table.js";

const chosen = { x: null, y: null };
const HEIGHT = 320;
const PAD = { left: 64, right: 16, top: 12, bottom: 44 };

function ticks(lo, hi, count) {
  if (lo === hi) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** The points: `{ x, y, label }` and the x axis (numeric, log or categories). */
function points(xName, yName) {
  const rows = allRows();
  const raw = [];
  for (const { record } of rows) {
    const x = record.parameters?.[xName];
    const y = plotValue(record.metrics?.[yName]);
    if (x === undefined || y === null) continue;
    raw.push({ x, y, label: record.name, slug: record.slug });
  }
  const numeric = raw.length > 0 && raw.every((p) => isNumber(p.x));
  if (numeric) {
    const xs = raw.map((p) => p.x);
    const [min, max] = extent(xs);
    const log = min > 0 && max / min >= 100;
    return {
      pts: raw.map((p) => ({ ...p, px: log ? Math.log10(p.x) : p.x })),
      axis: log ? "log" : "linear",
    };
  }
  const categories = [...new Set(raw.map((p) => JSON.stringify(p.x)))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  return {
    pts: raw.map((p) => ({ ...p, px: index.get(JSON.stringify(p.x)) })),
    axis: "category",
    categories,
  };
}

function draw(canvas, info, xName, yName) {
  const { g, width } = fitCanvas(canvas, HEIGHT);
  g.clearRect(0, 0, width, HEIGHT);
  const { pts, axis, categories } = info;
  if (pts.length === 0) return [];
  const xs = pts.map((p) => p.px);
  const ys = pts.map((p) => p.y);
  let [x0, x1] = extent(xs);
  let [y0, y1] = extent(ys);
  if (axis === "category") [x0, x1] = [-0.5, categories.length - 0.5];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const padY = (y1 - y0) * 0.06;
  y0 -= padY;
  y1 += padY;
  const padX = axis === "category" ? 0 : (x1 - x0) * 0.04;
  x0 -= padX;
  x1 += padX;
  const W = width - PAD.left - PAD.right;
  const H = HEIGHT - PAD.top - PAD.bottom;
  const sx = (v) => PAD.left + ((v - x0) / (x1 - x0)) * W;
  const sy = (v) => PAD.top + (1 - (v - y0) / (y1 - y0)) * H;
  g.font = "11px system-ui, sans-serif";
  g.fillStyle = "#6b7486";
  g.strokeStyle = "#eef1f6";
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (const t of ticks(y0, y1, 5)) {
    g.beginPath();
    g.moveTo(PAD.left, sy(t));
    g.lineTo(PAD.left + W, sy(t));
    g.stroke();
    g.fillText(fmtNumber(t), PAD.left - 6, sy(t));
  }
  g.textAlign = "center";
  g.textBaseline = "top";
  const xTicks = axis === "category" ? categories.map((_, i) => i) : ticks(x0, x1, 6);
  for (const t of xTicks) {
    const label =
      axis === "category"
        ? shortLabel(String(JSON.parse(categories[t])), 14)
        : axis === "log"
          ? fmtNumber(10 ** t)
          : fmtNumber(t);
    g.fillText(label, sx(t), PAD.top + H + 6);
  }
  g.fillStyle = "#1c2333";
  g.fillText(axis === "log" ? `${xName} (log scale)` : xName, PAD.left + W / 2, HEIGHT - 16);
  g.save();
  g.translate(12, PAD.top + H / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(yName, 0, 0);
  g.restore();
  g.fillStyle = "rgba(59, 91, 219, 0.55)";
  const placed = [];
  for (const p of pts) {
    const x = sx(p.px);
    const y = sy(p.y);
    g.beginPath();
    g.arc(x, y, 4, 0, Math.PI * 2);
    g.fill();
    placed.push({ x, y, p });
  }
  return placed;
}

/** Draws the scatter card of the overview. */
export function drawScatter() {
  const card = $("scatter-card");
  const { parameters, metrics } = columnNames();
  card.hidden = parameters.length === 0 || metrics.length === 0;
  if (card.hidden) return;
  if (!parameters.includes(chosen.x)) chosen.x = parameters[0];
  if (!metrics.includes(chosen.y)) chosen.y = metrics[0];
  const select = (id, names, value, set) =>
    el(
      "select",
      {
        id,
        onchange: (e) => {
          set(e.target.value);
          drawScatter();
        },
      },
      names.map((n) => el("option", { value: n, selected: n === value, text: n })),
    );
  const controls = clear($("scatter-controls"));
  controls.append(
    el(
      "label",
      {},
      "Parameter ",
      select("scatter-x", parameters, chosen.x, (v) => {
        chosen.x = v;
      }),
    ),
    el(
      "label",
      {},
      "Metric ",
      select("scatter-y", metrics, chosen.y, (v) => {
        chosen.y = v;
      }),
    ),
  );
  const info = points(chosen.x, chosen.y);
  const canvas = $("scatter");
  const placed = draw(canvas, info, chosen.x, chosen.y);
  const scale =
    info.axis === "log"
      ? ` ${chosen.x} on a log scale.`
      : info.axis === "category"
        ? ` ${chosen.x} as categories.`
        : "";
  $("scatter-caption").textContent =
    `${info.pts.length} of ${state.records.length + state.live.size} experiments have both ${chosen.x} and ${chosen.y}.${scale}`;
  drawParallel(parameters, chosen.y);
  canvas.onmousemove = (e) => {
    const r = canvas.getBoundingClientRect();
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    let best = null;
    let bestD = 64;
    for (const q of placed) {
      const d = (q.x - mx) ** 2 + (q.y - my) ** 2;
      if (d < bestD) [best, bestD] = [q, d];
    }
    canvas.title = best
      ? `${best.p.label}: ${chosen.x} = ${JSON.stringify(best.p.x)}, ${chosen.y} = ${fmtNumber(best.p.y)}`
      : "";
  };
}
