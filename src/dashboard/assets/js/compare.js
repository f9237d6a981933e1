// Experiments side by side: their parameters and metrics in one table each, the rows whose
// values differ marked (and a switch to show only those), and each metric's step curves
// overlaid, one colour per experiment.

import { chartBox, drawCurves, forgetCharts, localCurve } from "./charts.js";
import { $, clear, el } from "./dom.js";
import { fetchCurve } from "./experiment.js";
import { byName, fmt, PALETTE, sameValue, shortLabel } from "./format.js";
import { experimentHash } from "./route.js";
import { findFullRow } from "./store.js";

let onlyDiffering = false;
let shownFor = "";

/** Whether the values of a row differ between the experiments (a missing value differs). */
function differs(values) {
  return values.some((v) => !sameValue(v, values[0]));
}

function diffTable(id, title, rows, names, pick) {
  const body = names
    .map((name) => {
      const values = rows.map((r) => pick(r.record)[name]);
      return { name, values, differ: differs(values) };
    })
    .filter((r) => !onlyDiffering || r.differ);
  const count = names.filter((n) => differs(rows.map((r) => pick(r.record)[n]))).length;
  return el(
    "section",
    { class: "card", id },
    el(
      "h2",
      {},
      title,
      el("span", { class: "muted", text: ` · ${count} of ${names.length} differ` }),
    ),
    names.length === 0
      ? el("div", { class: "empty", text: "None." })
      : el(
          "div",
          { class: "table-wrap" },
          el(
            "table",
            { class: "compare" },
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                el("th", { text: "" }),
                el("th", { text: "Name" }),
                rows.map((r, i) =>
                  el("th", {
                    style: `color:${PALETTE[i % PALETTE.length]}`,
                    text: shortLabel(r.record.name, 32),
                    title: r.record.slug,
                  }),
                ),
              ),
            ),
            el(
              "tbody",
              {},
              body.map((r) =>
                el(
                  "tr",
                  { class: r.differ ? "differs" : undefined, "data-name": r.name },
                  el("td", {
                    class: "mark",
                    text: r.differ ? "≠" : "",
                    title: r.differ ? "the values differ" : undefined,
                  }),
                  el("td", { text: r.name }),
                  r.values.map((v) =>
                    el("td", {
                      class: v === undefined ? "missing" : undefined,
                      text: v === undefined ? "—" : fmt(v),
                    }),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

/** Draws the comparison of the experiments `slugs`. */
export function drawCompare(slugs) {
  const page = $("compare");
  const rows = slugs.map(findFullRow).filter(Boolean);
  const key = `${slugs.join("\u0000")}|${rows.map((r) => `${r.record.last_updated}|${Object.keys(r.record.metrics).length}|${r.loading ?? false}`).join(",")}|${onlyDiffering}`;
  if (key === shownFor) return;
  shownFor = key;
  forgetCharts("cmp:");
  clear(page).append(el("a", { class: "back", href: "#/", text: "← All experiments" }));
  if (rows.length < 2) {
    page.append(
      el("div", {
        class: "card empty",
        text: "Choose two or more experiments in the table to compare them.",
      }),
    );
    return;
  }
  const waiting = rows.filter((r) => r.loading);
  if (waiting.length > 0) {
    // Their full records are being fetched (or could not be).
    const failed = waiting.find((r) => r.error);
    page.append(
      el("div", {
        class: "card empty",
        id: "cmp-loading",
        text: failed
          ? `${failed.record.name}: the record could not be fetched: ${failed.error}`
          : `Loading ${waiting.length} of ${rows.length} experiments…`,
      }),
    );
    return;
  }
  const records = rows.map((r) => r.record);
  const parameterNames = [...new Set(records.flatMap((r) => Object.keys(r.parameters || {})))].sort(
    byName,
  );
  const metricNames = [...new Set(records.flatMap((r) => Object.keys(r.metrics || {})))].sort(
    byName,
  );
  page.append(
    el("div", { class: "exp-head" }, el("h1", { text: `Comparing ${rows.length} experiments` })),
    el(
      "div",
      { class: "legend-row" },
      rows.map((r, i) =>
        el(
          "a",
          {
            class: "chip legend",
            href: experimentHash(r.record.slug),
            style: `border-color:${PALETTE[i % PALETTE.length]}`,
          },
          el("span", { class: "swatch", style: `background:${PALETTE[i % PALETTE.length]}` }),
          r.record.name,
        ),
      ),
      el(
        "label",
        { class: "toggle" },
        el("input", {
          type: "checkbox",
          id: "only-differing",
          checked: onlyDiffering,
          onchange: (e) => {
            onlyDiffering = e.target.checked;
            drawCompare(slugs);
          },
        }),
        " Only rows that differ",
      ),
    ),
    el(
      "div",
      { class: "grid-2" },
      diffTable("cmp-parameters", "Parameters", rows, parameterNames, (r) => r.parameters || {}),
      diffTable("cmp-metrics", "Metrics", rows, metricNames, (r) => r.metrics || {}),
    ),
  );
  const curves = el("div", { class: "charts", id: "compare-curves" });
  const card = el(
    "section",
    { class: "card", id: "cmp-curves", hidden: true },
    el("h2", { text: "Metric curves" }),
    curves,
  );
  page.append(card);
  for (const name of metricNames) drawMetricCurves(curves, card, rows, name);
}

async function drawMetricCurves(container, card, rows, name) {
  const fetched = await Promise.all(
    rows.map(async (row, i) => {
      const curve =
        localCurve(row.record, name) ??
        (row.status === null ? await fetchCurve(row.record.slug, name) : null);
      return curve && curve.values.length > 0
        ? { label: row.record.name, color: PALETTE[i % PALETTE.length], ...curve }
        : null;
    }),
  );
  const curves = fetched.filter(Boolean);
  if (!container.isConnected || !curves.some((c) => c.values.length > 1)) return;
  card.hidden = false;
  const key = `cmp:${name}`;
  const box = chartBox(container, key, name);
  box.setAttribute("data-curves", String(curves.length));
  drawCurves(box, key, curves);
}

/** Forgets what was drawn (the comparison is drawn anew when shown again). */
export function leaveCompare() {
  shownFor = "";
}
