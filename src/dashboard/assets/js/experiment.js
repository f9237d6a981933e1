// An experiment's page: its facts, status (running or failed, with the error), metrics and
// parameters, metric curves (its recorded history, or values streamed while it runs), tests
// and artifacts. A running experiment's page fills in as its tasks finish.

import { drawArtifacts } from "./artifacts.js";
import { chartBox, drawCurves, forgetCharts, localCurve } from "./charts.js";
import { $, clear, el } from "./dom.js";
import { byName, fmt, isSeries, PALETTE } from "./format.js";
import { experimentUrl, findFullRow, getJson, state } from "./store.js";

const MAX_FETCHED_CURVES = 24;

const MAX_JSON = 4000; // characters of a value shown on the page

/** A list or an object as JSON: on one line when short, else indented, cut when long. */
function jsonBlock(value) {
  if (isSeries(value) && value.length > 20) return el("span", { text: fmt(value) });
  const text = JSON.stringify(value, null, 2);
  if (text.length > MAX_JSON) return el("pre", { text: `${text.slice(0, MAX_JSON)}\n…` });
  const line = JSON.stringify(value);
  return line.length <= 64
    ? el("code", { class: "mono", text: line })
    : el("pre", { text: JSON.stringify(value, null, 2) });
}

/** A table of names and values ("None." when empty). */
export function kvTable(object) {
  const entries = Object.entries(object || {});
  if (entries.length === 0) return el("div", { class: "empty", text: "None." });
  return el(
    "table",
    { class: "kv" },
    el(
      "tbody",
      {},
      entries.map(([key, value]) =>
        el(
          "tr",
          {},
          el("td", { text: key }),
          el("td", {}, value !== null && typeof value === "object" ? jsonBlock(value) : fmt(value)),
        ),
      ),
    ),
  );
}

/**
 * Fetches a metric's history from the server, downsampled there to `points` points when
 * given (the whole series stays at the route without `points`): `{ steps, values }` or null.
 */
export async function fetchCurve(slug, name, points) {
  const url = experimentUrl(slug, "metrics", name, "history");
  try {
    const body = await getJson(points ? `${url}?points=${points}` : url);
    return {
      steps: body.points.map((p) => p.step),
      values: body.points.map((p) => p.value),
      source: body.source,
    };
  } catch {
    return null;
  }
}

let shown = { slug: null, stamp: null }; // what the page's fetched parts were drawn for

function drawCurvesOf(box, row, fresh) {
  const { record } = row;
  const names = Object.keys(record.metrics || {}).sort(byName);
  const streamed = state.history.get(record.slug);
  if (streamed) for (const name of streamed.keys()) if (!names.includes(name)) names.push(name);
  const card = box.parentElement;
  let drawnAny = false;
  names.forEach((name, i) => {
    const curve = localCurve(record, name);
    if (!curve) return;
    drawnAny = true;
    card.hidden = false; // before drawing: a hidden card has no width to fit the chart to
    const key = `exp:${name}`;
    drawCurves(chartBox(box, key, name), key, [
      { label: name, color: PALETTE[i % PALETTE.length], ...curve },
    ]);
  });
  if (fresh && !drawnAny) card.hidden = true;
  if (row.status !== null || !fresh) return;
  // A saved experiment: its recorded histories, from the server.
  names.slice(0, MAX_FETCHED_CURVES).forEach(async (name, i) => {
    if (localCurve(record, name)) return;
    // No more points than a chart as wide as the page draws (see drawCurves); the card
    // may still be hidden, without a width of its own.
    const points = 2 * ($("experiment").clientWidth || 600) + 2;
    const curve = await fetchCurve(record.slug, name, points);
    if (!curve || curve.values.length < 2 || !box.isConnected) return;
    card.hidden = false;
    const key = `exp:${name}`;
    const chart = chartBox(box, key, name);
    drawCurves(chart, key, [{ label: name, color: PALETTE[i % PALETTE.length], ...curve }]);
    if (!chart.querySelector("a.series")) {
      chart.append(
        el("a", {
          class: "series muted small",
          href: experimentUrl(record.slug, "metrics", name, "history"),
          download: `${record.slug}-${name}.json`,
          text: "Whole series (JSON)",
        }),
      );
    }
  });
}

function testCard(t) {
  return el(
    "div",
    { class: "test" },
    el("h3", { text: t.name }),
    t.description ? el("p", { class: "muted", text: t.description }) : null,
    el(
      "div",
      { class: "grid-2" },
      el("div", {}, el("div", { class: "stat-label", text: "Metrics" }), kvTable(t.metrics)),
      el("div", {}, el("div", { class: "stat-label", text: "Parameters" }), kvTable(t.parameters)),
    ),
  );
}

/** Draws the page of the experiment `slug`. */
export function drawExperiment(slug) {
  const page = $("experiment");
  const row = findFullRow(slug);
  const stamp = row
    ? `${row.record.slug}|${row.record.last_updated ?? ""}|${row.status}|${row.loading ?? false}`
    : null;
  const fresh = shown.slug !== slug || shown.stamp !== stamp;
  // A running experiment's page is redrawn as values arrive; its charts are updated in place.
  if (fresh) {
    forgetCharts("exp:");
    clear(page);
  } else {
    for (const node of [...page.children]) if (!node.classList.contains("keep")) node.remove();
  }
  shown = { slug, stamp };
  const back = el("a", { class: "back", href: "#/", text: "← All experiments" });
  if (!row) {
    clear(page).append(
      back,
      el("div", { class: "card empty", text: `No experiment "${slug}" in this project.` }),
    );
    return;
  }
  if (row.loading) {
    // A saved experiment's full record is being fetched (or could not be).
    clear(page).append(
      back,
      el("div", {
        class: "card empty",
        id: "exp-loading",
        text: row.error
          ? `${row.record.name}: the record could not be fetched: ${row.error}`
          : `Loading ${row.record.name}…`,
      }),
    );
    return;
  }
  const { record, status, error } = row;
  const parts = [
    back,
    el(
      "div",
      { class: "exp-head" },
      el("h1", { text: record.name }),
      status ? el("span", { class: `badge ${status}`, id: "exp-status", text: status }) : null,
      el("span", { class: "mono muted", text: record.slug }),
      (record.tags || []).map((t) => el("span", { class: "chip", text: t })),
    ),
    error
      ? el("div", { class: "problem exp-error", role: "alert", text: `Failed: ${error}` })
      : null,
    el(
      "div",
      { class: "facts" },
      [
        ["Author", record.author],
        ["Created", (record.created_at || "").replace("T", " ")],
        [
          "Last updated",
          `${(record.last_updated || "").replace("T", " ")}${record.last_updated_by ? ` by ${record.last_updated_by}` : ""}`,
        ],
        ["Dependencies", (record.dependencies || []).join(", ") || "—"],
      ].map(([label, value]) =>
        el(
          "div",
          { class: "fact", "data-fact": label },
          el("div", { class: "stat-label", text: label }),
          el("div", { text: value || "—" }),
        ),
      ),
    ),
    el(
      "div",
      { class: "grid-2" },
      el(
        "section",
        { class: "card", id: "exp-metrics" },
        el("h2", { text: "Metrics" }),
        kvTable(record.metrics),
      ),
      el(
        "section",
        { class: "card", id: "exp-parameters" },
        el("h2", { text: "Parameters" }),
        kvTable(record.parameters),
      ),
    ),
  ];
  const tests = record.tests || [];
  const testSection = el(
    "section",
    { class: "card" },
    el("h2", { text: `Tests (${tests.length})` }),
    tests.length === 0 ? el("div", { class: "empty", text: "No tests." }) : tests.map(testCard),
  );
  if (fresh) {
    const curves = el("div", { class: "charts", id: "experiment-series" });
    const curveCard = el(
      "section",
      { class: "card keep", id: "exp-curves" },
      el("h2", { text: "Metric curves" }),
      curves,
    );
    const artifacts = el(
      "section",
      { class: "card keep", id: "exp-artifacts" },
      el("h2", { text: "Artifacts" }),
    );
    page.append(...parts.filter(Boolean), testSection, curveCard, artifacts);
    drawArtifacts(artifacts, record.slug);
  } else {
    const keep = page.querySelector("#exp-curves");
    for (const part of [...parts, testSection].filter(Boolean)) page.insertBefore(part, keep);
  }
  drawCurvesOf($("experiment-series"), row, fresh);
}

/** Forgets what the page was drawn for (another page is shown). */
export function leaveExperiment() {
  shown = { slug: null, stamp: null };
}
