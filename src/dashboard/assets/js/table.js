// The experiments table: virtualised (only the rows in view are in the page, so 50,000
// experiments scroll smoothly), sortable, filterable, with parameter and metric columns
// picked in a column chooser, and checkboxes to choose experiments to compare. The columns,
// the sort and the filter live in the page's address.

import { $, clear, el } from "./dom.js";
import { byName, fmt, isNumber, plotValue } from "./format.js";
import { compareHash, experimentHash, replaceHash, tableHash } from "./route.js";
import { allRows, metricNames, parameterNames, state } from "./store.js";

const ROW_HEIGHT = 35;
const OVERSCAN = 10;
const DEFAULT_PARAMETERS = 6;
const DEFAULT_METRICS = 12;
// What `localeCompare` does, without making a collator for every comparison of 50,000.
const collator = new Intl.Collator();

/** The table's options, read from the address. */
export const view = { columns: null, sort: { key: "created_at", dir: 1 }, filter: "" };

export function readView(params) {
  const columns = params.getAll("c");
  view.columns = columns.length ? columns : null;
  const key = params.get("sort");
  view.sort = key
    ? { key, dir: params.get("dir") === "desc" ? -1 : 1 }
    : { key: "created_at", dir: 1 };
  view.filter = params.get("q") || "";
  const input = $("filter");
  if (input.value !== view.filter) input.value = view.filter;
}

function writeView() {
  replaceHash(tableHash(view));
}

// ---- data --------------------------------------------------------------------------------

const isScalar = (v) => v === null || ["number", "string", "boolean"].includes(typeof v);

let namesCache = { tick: -1 };
/** Parameter and metric names of every experiment, and those shown by default. */
export function columnNames() {
  if (namesCache.tick !== state.tick) {
    const records = allRows().map((r) => r.record);
    const parameters = parameterNames(records, byName);
    const metrics = metricNames(records, byName);
    const scalar = parameters.filter((p) => records.some((r) => isScalar(r.parameters?.[p])));
    namesCache = {
      tick: state.tick,
      parameters,
      metrics,
      defaults: [
        ...scalar.slice(0, DEFAULT_PARAMETERS).map((p) => `p:${p}`),
        ...metrics.slice(0, DEFAULT_METRICS).map((m) => `m:${m}`),
      ],
    };
  }
  return namesCache;
}

function matches(record, words) {
  if (words.length === 0) return true;
  const haystack = [record.name, record.slug, record.author, ...(record.tags || [])]
    .join("\n")
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

function sortValue(row, key) {
  const record = row.record;
  if (key.startsWith("m:"))
    return plotValue(record.metrics?.[key.slice(2)]) ?? record.metrics?.[key.slice(2)];
  if (key.startsWith("p:")) return record.parameters?.[key.slice(2)];
  if (key === "tags") return (record.tags || []).join(", ");
  return record[key];
}

function compare(a, b) {
  const rank = (v) => (isNumber(v) ? 0 : typeof v === "string" ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return a - b;
  if (ra === 1) return collator.compare(a, b);
  return 0;
}

// Timestamps as Python's isoformat writes them (`2024-01-01T00:00:00`, microseconds when
// not zero) are in time order as text: compared by code point, faster than by the collator.
const TIMESTAMPS = new Set(["created_at", "last_updated"]);
const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

let rowsCache = { key: "" };
/** The rows that pass the filter, sorted (kept until the data, filter or sort change). */
export function visibleRows() {
  const key = `${state.tick}|${view.filter}|${view.sort.key}|${view.sort.dir}`;
  if (rowsCache.key !== key) {
    const words = view.filter.toLowerCase().split(/\s+/).filter(Boolean);
    const { key: sortKey, dir } = view.sort;
    const order = TIMESTAMPS.has(sortKey) ? byCodePoint : compare;
    const rows = allRows()
      .filter((row) => matches(row.record, words))
      .map((row, index) => ({ row, index, value: sortValue(row, sortKey) }))
      .sort((x, y) => {
        const missingX = x.value === undefined || x.value === null;
        const missingY = y.value === undefined || y.value === null;
        if (missingX || missingY) return missingX - missingY || x.index - y.index;
        return dir * order(x.value, y.value) || x.index - y.index;
      })
      .map((x) => x.row);
    rowsCache = { key, rows };
  }
  return rowsCache.rows;
}

// ---- drawing -----------------------------------------------------------------------------

function shownColumns() {
  const { parameters, metrics, defaults } = columnNames();
  const known = new Set([...parameters.map((p) => `p:${p}`), ...metrics.map((m) => `m:${m}`)]);
  const chosen = (view.columns ?? defaults).filter((k) => known.has(k));
  return [
    { key: "name", label: "Name" },
    { key: "author", label: "Author" },
    { key: "created_at", label: "Created" },
    { key: "tags", label: "Tags" },
    ...chosen.map((k) => ({ key: k, label: k.slice(2), num: true, param: k.startsWith("p:") })),
  ];
}

let drawn = { signature: "", first: -1, rows: [] };

/** Draws the table (head, the rows in view, footer) and the column chooser. */
export function drawTable(render) {
  const rows = visibleRows();
  const columns = shownColumns();
  const table = $("experiments");
  const head = el(
    "tr",
    {},
    el("th", { class: "select", scope: "col" }, el("span", { class: "sr-only", text: "Compare" })),
    columns.map((c) =>
      el("th", {
        text: c.label,
        class: [c.num ? "num" : "", c.param ? "param" : ""].join(" ").trim() || undefined,
        title: c.param
          ? `parameter ${c.label}`
          : c.key.startsWith("m:")
            ? `metric ${c.label}`
            : undefined,
        "data-key": c.key,
        scope: "col",
        "aria-sort":
          view.sort.key === c.key ? (view.sort.dir > 0 ? "ascending" : "descending") : undefined,
        onclick: () => {
          view.sort = { key: c.key, dir: view.sort.key === c.key ? -view.sort.dir : 1 };
          writeView();
          render();
        },
      }),
    ),
  );
  clear(table.tHead).append(head);
  drawn = {
    signature: `${rowsCache.key}|${columns.map((c) => c.key).join(",")}`,
    first: -1,
    rows,
    columns,
  };
  drawRows();
  drawFooter(rows);
  drawChooser(render);
}

/** Puts the rows in view (and a spacer above and below) in the table's body. */
export function drawRows() {
  const { rows, columns } = drawn;
  const scroller = $("table-scroll");
  const body = $("experiments").tBodies[0];
  // The scroller is at most 560 px high: enough rows for that, however few are shown now.
  const inView = Math.ceil(Math.max(scroller.clientHeight, 560) / ROW_HEIGHT);
  // After the rows shrank (a filter), the scroll position may be past them until the browser
  // clamps it: show the last rows meanwhile.
  const top = Math.min(
    Math.floor(scroller.scrollTop / ROW_HEIGHT),
    Math.max(0, rows.length - inView),
  );
  const first = Math.max(0, top - OVERSCAN);
  const last = Math.min(rows.length, first + inView + 2 * OVERSCAN);
  if (first === drawn.first && last === drawn.last && body.childElementCount > 0) return;
  drawn.first = first;
  drawn.last = last;
  clear(body);
  const span = columns.length + 1;
  if (rows.length === 0) {
    body.append(
      el(
        "tr",
        {},
        el("td", {
          colspan: span,
          class: "empty",
          text:
            state.records.length || state.live.size
              ? "No experiment matches the filter."
              : "No experiments yet.",
        }),
      ),
    );
    return;
  }
  if (first > 0)
    body.append(el("tr", { class: "spacer", style: `height:${first * ROW_HEIGHT}px` }));
  for (let i = first; i < last; i++) body.append(rowElement(rows[i], columns));
  if (last < rows.length) {
    body.append(
      el("tr", { class: "spacer", style: `height:${(rows.length - last) * ROW_HEIGHT}px` }),
    );
  }
}

function rowElement({ record, status, error }, columns) {
  const checked = state.selected.has(record.slug);
  const cells = columns.map((c) => {
    if (c.key === "name") {
      return el(
        "td",
        { class: "name" },
        el("a", { href: experimentHash(record.slug), text: record.name, title: record.slug }),
        status
          ? el("span", { class: `badge ${status}`, text: status, title: error || undefined })
          : null,
      );
    }
    if (c.key === "tags")
      return el(
        "td",
        {},
        (record.tags || []).map((t) => el("span", { class: "chip", text: t })),
      );
    if (c.key === "created_at")
      return el("td", { text: (record.created_at || "").replace("T", " ") });
    if (c.key === "author") return el("td", { text: record.author });
    const name = c.key.slice(2);
    if (!c.param && record.other_metrics?.includes(name)) {
      // A list or an object: in the full record, shown on the experiment's page.
      return el("td", { class: "num muted", text: "…", title: `${name}: see the experiment` });
    }
    const value = c.param ? record.parameters?.[name] : record.metrics?.[name];
    return el("td", { class: "num", text: fmt(value) });
  });
  return el(
    "tr",
    {
      class: ["row", status || "", checked ? "selected" : ""].join(" ").trim(),
      "data-slug": record.slug,
    },
    el(
      "td",
      { class: "select" },
      el("input", {
        type: "checkbox",
        "aria-label": `Compare ${record.name}`,
        checked,
        onchange: (e) => {
          if (e.target.checked) state.selected.add(record.slug);
          else state.selected.delete(record.slug);
          e.target.closest("tr").classList.toggle("selected", e.target.checked);
          drawCompareBar();
        },
      }),
    ),
    cells,
  );
}

function drawFooter(rows) {
  const footer = clear($("table-footer"));
  const total = state.records.length + state.live.size;
  footer.append(`${rows.length} of ${total} experiments`);
  drawCompareBar();
}

/** The "Compare" button: how many experiments are chosen, and a link to compare them. */
export function drawCompareBar() {
  const bar = clear($("compare-bar"));
  const n = state.selected.size;
  bar.append(
    ...[
      el("a", {
        class: `button${n >= 2 ? "" : " disabled"}`,
        id: "compare-link",
        href: n >= 2 ? compareHash([...state.selected]) : undefined,
        "aria-disabled": n < 2 ? "true" : undefined,
        text: `Compare ${n} selected`,
      }),
      n > 0
        ? el("button", {
            text: "Clear",
            onclick: () => {
              state.selected.clear();
              drawn.first = -1;
              drawRows();
              drawCompareBar();
            },
          })
        : null,
    ].filter(Boolean),
  );
}

function drawChooser(render) {
  const { parameters, metrics, defaults } = columnNames();
  const chosen = new Set(view.columns ?? defaults);
  const panel = clear($("columns-panel"));
  $("columns-count").textContent = String(chosen.size);
  const toggle = (key, on) => {
    const list = (view.columns ?? defaults).filter((k) => k !== key);
    if (on) list.push(key);
    view.columns = list;
    writeView();
    render();
  };
  const group = (title, prefix, names) =>
    names.length === 0
      ? null
      : el(
          "fieldset",
          {},
          el("legend", { text: title }),
          names.map((name) =>
            el(
              "label",
              { class: "choice" },
              el("input", {
                type: "checkbox",
                "data-key": `${prefix}${name}`,
                checked: chosen.has(`${prefix}${name}`),
                onchange: (e) => toggle(`${prefix}${name}`, e.target.checked),
              }),
              name,
            ),
          ),
        );
  panel.append(group("Parameters", "p:", parameters), group("Metrics", "m:", metrics));
  if (parameters.length === 0 && metrics.length === 0)
    panel.append(el("div", { class: "empty", text: "No parameters or metrics yet." }));
}

/** Starts the table's own listeners: scrolling, the filter box. */
export function startTable(render) {
  $("table-scroll").addEventListener("scroll", () => requestAnimationFrame(drawRows), {
    passive: true,
  });
  $("filter").addEventListener("input", (e) => {
    view.filter = e.target.value;
    writeView();
    render();
  });
}
