// lazyscribe dashboard: plain browser JavaScript modules, no framework. This one draws the
// view the address names (the experiments, an experiment, a comparison) when the data or the
// address change, at most once a frame.

import { drawMetricCharts, drawSeriesCharts } from "./charts.js";
import { drawCompare, leaveCompare } from "./compare.js";
import { $ } from "./dom.js";
import { drawExperiment, leaveExperiment } from "./experiment.js";
import { renderFlow, startFlow } from "./flow.js";
import { connect } from "./live.js";
import { wantPreview } from "./preview.js";
import { currentRoute } from "./route.js";
import { drawScatter } from "./scatter.js";
import { drawStats } from "./stats.js";
import { fetchProject, isFetching, onChange, state } from "./store.js";
import { columnNames, drawTable, readView, startTable, visibleRows } from "./table.js";

/** How many rows of a large project the page shows while the rest is read. */
const PREVIEW_ROWS = 300;

let frame = 0;
let chartsKey = "";
let chartsTimer = 0;

/** Draws on the next frame. */
export function render() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    draw();
  });
}

function showProblem(message) {
  const box = $("problem");
  box.hidden = !message;
  box.textContent = message ? `The project file could not be read: ${message}` : "";
}

function draw() {
  $("project-name").textContent = state.fpath || "";
  document.title = state.fpath ? `${state.fpath} · lazyscribe` : "lazyscribe dashboard";
  showProblem(state.error);
  const route = currentRoute();
  $("overview").hidden = route.view !== "table";
  $("experiment").hidden = route.view !== "experiment";
  $("compare").hidden = route.view !== "compare";
  if (route.view !== "experiment") leaveExperiment();
  if (route.view !== "compare") leaveCompare();
  if (route.view === "experiment") return drawExperiment(route.slug);
  if (route.view === "compare") return drawCompare(route.slugs);
  readView(route.params);
  drawStats();
  drawTable(render);
  // Sorting changes only the table: charts are redrawn when the data, the filter or the
  // page width changed, after the table is on screen.
  const key = `${state.tick}|${state.fullTick}|${$("filter").value}|${document.body.clientWidth}`;
  // Not for a preview's rows: the full summary, on its way, redraws them.
  if (key !== chartsKey && !state.preview) {
    chartsKey = key;
    clearTimeout(chartsTimer);
    chartsTimer = setTimeout(() => {
      const records = visibleRows().map((r) => r.record);
      drawMetricCharts(records, columnNames().metrics);
      drawSeriesCharts(records);
      drawScatter();
    }, 0);
  }
}

onChange(render);
window.addEventListener("hashchange", () => {
  window.scrollTo(0, 0);
  chartsKey = "";
  render();
});
let width = document.body.clientWidth;
window.addEventListener("resize", () => {
  if (document.body.clientWidth === width) return;
  width = document.body.clientWidth;
  render();
  renderFlow();
});
// Sorted by creation (the default, oldest first, or newest first) and not filtered, the
// table's first screenful is at one end of the file: shown while the rest is read.
wantPreview(() => {
  const route = currentRoute();
  if (route.view !== "table" || route.params.get("q")) return null;
  if ((route.params.get("sort") || "created_at") !== "created_at") return null;
  const end = route.params.get("dir") === "desc" ? "newest" : "oldest";
  return { end, count: PREVIEW_ROWS };
});
startTable(render);
startFlow();
// The event stream's greeting fetches the project; without one soon, fetch it anyway.
setTimeout(() => {
  if (state.revision < 0 && !isFetching())
    fetchProject().catch((error) => showProblem(String(error)));
}, 2000);
connect();
