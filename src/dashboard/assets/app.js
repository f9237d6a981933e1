// lazyscribe dashboard: plain browser JavaScript, no framework. Every piece of data is put in
// the page with textContent or as an SVG/canvas drawing, never as HTML.
(() => {
  const PALETTE = [
    "#3b5bdb",
    "#12b886",
    "#f76707",
    "#ae3ec9",
    "#e03131",
    "#1098ad",
    "#f59f00",
    "#5c7cfa",
    "#37b24d",
    "#d6336c",
    "#495057",
    "#74c0fc",
  ];
  const PAGE = 500;
  const STEP_AXIS = {
    label: "step",
    labelSize: 18,
    incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000],
    grid: { stroke: "#eef1f6" },
  };
  const MAX_SERIES_LINES = 12;

  const state = {
    fpath: null,
    revision: -1, // the project's revision the page shows
    records: [],
    bySlug: new Map(),
    live: new Map(), // slug -> an experiment being logged (not appended yet)
    history: new Map(), // slug -> Map(metric -> values streamed so far)
    historySeq: 0, // the last live event the history holds
    tick: 0, // changes whenever the data changes
    chartsKey: "", // what the charts were last drawn from
    sort: { key: "created_at", dir: 1 },
    filter: "",
    limit: PAGE,
    flow: null,
    runStatus: "idle",
  };
  const charts = new Map(); // key -> { plot, signature }

  // ---- DOM helpers ------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  /** An element with properties and children (strings become text nodes). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // ---- values -----------------------------------------------------------------------------

  const isNumber = (v) => typeof v === "number" && Number.isFinite(v);
  const isSeries = (v) =>
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((x) => typeof x === "number" || typeof x === "string");

  function fmtNumber(v) {
    if (Number.isInteger(v)) return String(v);
    const abs = Math.abs(v);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return v.toExponential(3);
    return String(Number(v.toPrecision(5)));
  }

  function fmt(v) {
    if (v === undefined) return "";
    if (typeof v === "number") return fmtNumber(v);
    if (typeof v === "string") return v;
    if (v === null || typeof v === "boolean") return String(v);
    if (isSeries(v)) return `${fmt(v[v.length - 1])}  (${v.length} values)`;
    return JSON.stringify(v);
  }

  /** A value as a chart takes it: finite numbers, else null. */
  const plotValue = (v) =>
    isNumber(v) ? v : Array.isArray(v) && v.length > 0 ? plotValue(v[v.length - 1]) : null;

  function shortLabel(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  // ---- data -------------------------------------------------------------------------------

  /** The experiments shown: the project's, then those being logged. */
  function allRows() {
    const rows = state.records.map((r) => ({ record: r, running: false }));
    for (const live of state.live.values()) rows.push({ record: live, running: true });
    return rows;
  }

  function matches(record, text) {
    if (text === "") return true;
    const haystack = [record.name, record.slug, record.author, ...(record.tags || [])]
      .join("\n")
      .toLowerCase();
    return text
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .every((word) => haystack.includes(word));
  }

  function sortValue(record, key) {
    if (key.startsWith("m:")) {
      const v = record.metrics[key.slice(2)];
      return Array.isArray(v) ? plotValue(v) : v;
    }
    if (key === "tags") return (record.tags || []).join(", ");
    return record[key];
  }

  function compare(a, b) {
    const rank = (v) => (isNumber(v) ? 0 : typeof v === "string" ? 1 : 2);
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    if (ra === 0) return a - b;
    if (ra === 1) return a.localeCompare(b);
    return 0;
  }

  function visibleRows() {
    const rows = allRows().filter((row) => matches(row.record, state.filter));
    const { key, dir } = state.sort;
    return rows
      .map((row, index) => ({ row, index, value: sortValue(row.record, key) }))
      .sort((x, y) => {
        const missingX = x.value === undefined || x.value === null;
        const missingY = y.value === undefined || y.value === null;
        if (missingX || missingY) return missingX - missingY || x.index - y.index;
        return dir * compare(x.value, y.value) || x.index - y.index;
      })
      .map((x) => x.row);
  }

  function metricNames(records) {
    const names = new Set();
    for (const r of records) for (const name of Object.keys(r.metrics || {})) names.add(name);
    return [...names].sort(byName);
  }

  /** Names in natural order: metric_2 before metric_10. */
  const collator = new Intl.Collator(undefined, { numeric: true });
  function byName(a, b) {
    return collator.compare(a, b);
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  let fetching = null;
  let fetchAgain = false;
  async function fetchProject() {
    if (fetching) {
      fetchAgain = true;
      return fetching;
    }
    fetching = (async () => {
      try {
        const project = await getJson("/api/project");
        state.fpath = project.fpath;
        state.revision = project.revision;
        state.records = project.experiments;
        state.bySlug = new Map(state.records.map((r) => [r.slug, r]));
        for (const record of state.records) state.live.delete(record.slug);
        state.tick++;
        showProblem(project.error);
        render();
      } finally {
        fetching = null;
        if (fetchAgain) {
          fetchAgain = false;
          fetchProject();
        }
      }
    })();
    return fetching;
  }

  /** Applies a revision's delta: the records added or changed, and the slugs removed. */
  function applyDelta(change) {
    const removed = new Set(change.removed);
    const records =
      removed.size > 0 ? state.records.filter((r) => !removed.has(r.slug)) : state.records;
    for (const slug of removed) state.bySlug.delete(slug);
    let unordered = false;
    for (const record of change.upserts) {
      const old = state.bySlug.get(record.slug);
      if (old) records[records.indexOf(old)] = record;
      else {
        const last = records[records.length - 1];
        if (last && record.created_at < last.created_at) unordered = true;
        records.push(record);
      }
      state.bySlug.set(record.slug, record);
      state.live.delete(record.slug);
    }
    if (unordered) {
      records.sort((a, b) =>
        a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0,
      );
    }
    state.records = records;
    state.revision = change.revision;
    state.tick++;
    showProblem(change.error);
    render();
  }

  /** The values streamed before this page connected. */
  async function fetchHistory() {
    const live = await getJson("/api/live");
    state.history = new Map(
      Object.entries(live.series).map(([slug, metrics]) => [
        slug,
        new Map(Object.entries(metrics)),
      ]),
    );
    state.historySeq = live.seq;
    state.tick++;
    render();
  }

  async function fetchFlow() {
    const response = await fetch("/api/flow", { cache: "no-store" });
    if (!response.ok) return;
    state.flow = await response.json();
    state.runStatus = state.flow.status;
    renderFlow();
  }

  /** Applies metric, parameter, tag and test events of experiments being logged. */
  function applyLive(events) {
    for (const event of events) {
      let record = state.bySlug.get(event.slug) || state.live.get(event.slug);
      if (!record) {
        record = {
          name: event.experiment,
          slug: event.slug,
          short_slug: "",
          author: "",
          created_at: "",
          metrics: {},
          parameters: {},
          tags: [],
          tests: [],
          artifacts: [],
        };
        state.live.set(event.slug, record);
      }
      if (event.test !== undefined) continue;
      if (event.type === "metric-logged") {
        record.metrics[event.name] = event.value;
        if (isNumber(event.value) && event.seq > state.historySeq) {
          if (!state.history.has(event.slug)) state.history.set(event.slug, new Map());
          const metrics = state.history.get(event.slug);
          const values = metrics.get(event.name) || [];
          values.push(event.value);
          metrics.set(event.name, values);
        }
      } else if (event.type === "parameter-logged") {
        record.parameters[event.name] = event.value;
      } else if (event.type === "tags-changed") {
        record.tags = event.tags;
      }
    }
    state.tick++;
    render();
  }

  // ---- rendering --------------------------------------------------------------------------

  let frame = 0;
  function render() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  }

  function draw() {
    $("project-name").textContent = state.fpath || "";
    document.title = state.fpath ? `${state.fpath} · lazyscribe` : "lazyscribe dashboard";
    const route = currentRoute();
    $("overview").hidden = route.slug !== null;
    $("experiment").hidden = route.slug === null;
    if (route.slug !== null) {
      drawExperiment(route.slug);
      return;
    }
    const rows = visibleRows();
    drawStats();
    drawTable(rows);
    // Sorting changes only the table: charts are redrawn when the data, the filter or the
    // page width changed.
    const chartsKey = `${state.tick}|${state.filter}|${document.body.clientWidth}`;
    if (chartsKey !== state.chartsKey) {
      state.chartsKey = chartsKey;
      const records = rows.map((r) => r.record);
      // After the table is on screen: charts of large projects take a while to draw.
      clearTimeout(chartsTimer);
      chartsTimer = setTimeout(() => {
        drawMetricCharts(records);
        drawSeriesCharts(records);
      }, 0);
    }
  }

  let chartsTimer = 0;

  function drawStats() {
    const records = state.records;
    const authors = new Set(records.map((r) => r.author));
    let latest = "";
    for (const r of records) if (r.created_at > latest) latest = r.created_at;
    const stats = [
      ["Experiments", records.length],
      ["Running", state.live.size],
      ["Metrics", metricNames(records).length],
      ["Authors", authors.size],
      ["Latest", latest ? latest.slice(0, 10) : "—"],
    ];
    clear($("stats")).append(
      ...stats.map(([label, value]) =>
        el(
          "div",
          { class: "stat" },
          el("div", { class: "stat-label", text: label }),
          el("div", { class: "stat-value", text: value }),
        ),
      ),
    );
  }

  function drawTable(rows) {
    const metrics = metricNames(rows.map((r) => r.record));
    const columns = [
      { key: "name", label: "Name" },
      { key: "author", label: "Author" },
      { key: "created_at", label: "Created" },
      { key: "tags", label: "Tags" },
      ...metrics.map((m) => ({ key: `m:${m}`, label: m, num: true })),
    ];
    const table = $("experiments");
    const head = el(
      "tr",
      {},
      columns.map((c) =>
        el("th", {
          text: c.label,
          class: c.num ? "num" : undefined,
          "data-key": c.key,
          scope: "col",
          "aria-sort":
            state.sort.key === c.key
              ? state.sort.dir > 0
                ? "ascending"
                : "descending"
              : undefined,
          onclick: () => {
            state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : 1 };
            render();
          },
        }),
      ),
    );
    clear(table.tHead).append(head);
    const body = clear(table.tBodies[0]);
    const shown = rows.slice(0, state.limit);
    for (const { record, running } of shown) {
      const nameCell = el(
        "td",
        {},
        el("a", {
          href: `#/e/${encodeURIComponent(record.slug)}`,
          text: record.name,
          title: record.slug,
        }),
        running ? el("span", { class: "badge running", text: "logging", style: undefined }) : null,
      );
      body.append(
        el(
          "tr",
          { class: running ? "running" : undefined, "data-slug": record.slug },
          nameCell,
          el("td", { text: record.author }),
          el("td", { text: (record.created_at || "").replace("T", " ") }),
          el(
            "td",
            {},
            (record.tags || []).map((t) => el("span", { class: "chip", text: t })),
          ),
          metrics.map((m) => el("td", { class: "num", text: fmt(record.metrics[m]) })),
        ),
      );
    }
    if (rows.length === 0) {
      body.append(
        el(
          "tr",
          {},
          el("td", {
            colspan: columns.length,
            class: "empty",
            text: state.records.length
              ? "No experiment matches the filter."
              : "No experiments yet.",
          }),
        ),
      );
    }
    const footer = clear($("table-footer"));
    footer.append(`${rows.length} of ${state.records.length + state.live.size} experiments`);
    if (rows.length > shown.length) {
      footer.append(
        " · ",
        el("button", {
          text: `Show ${Math.min(PAGE, rows.length - shown.length)} more`,
          onclick: () => {
            state.limit += PAGE;
            render();
          },
        }),
      );
    }
  }

  // ---- charts -----------------------------------------------------------------------------

  function chartBox(container, key, title) {
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
  function plot(box, key, signature, options, data) {
    const target = box.querySelector(".plot");
    const width = Math.max(280, target.clientWidth || box.clientWidth - 20);
    const existing = charts.get(key);
    if (existing && existing.signature === signature && existing.width === width) {
      existing.plot.setData(data);
      return;
    }
    if (existing) existing.plot.destroy();
    clear(target);
    const chart = new uPlot({ ...options, width, height: 220 }, data, target);
    charts.set(key, { plot: chart, signature, width });
  }

  function dropCharts(container, keep) {
    for (const box of [...container.querySelectorAll("[data-chart]")]) {
      const key = box.getAttribute("data-chart");
      if (!keep.has(key)) {
        charts.get(key)?.plot.destroy();
        charts.delete(key);
        box.remove();
      }
    }
  }

  function drawMetricCharts(records) {
    const container = $("charts");
    const ordered = [...records].sort((a, b) =>
      (a.created_at || "~").localeCompare(b.created_at || "~"),
    );
    const names = metricNames(ordered).filter((m) =>
      ordered.some((r) => plotValue(r.metrics[m]) !== null),
    );
    const keep = new Set(names.map((m) => `bar:${m}`));
    dropCharts(container, keep);
    container.querySelector(".empty")?.remove();
    if (names.length === 0) {
      container.append(el("div", { class: "empty", text: "No numeric metrics to chart yet." }));
      return;
    }
    const labels = ordered.map((r) => r.name);
    const xs = ordered.map((_, i) => i);
    names.forEach((metric, i) => {
      const key = `bar:${metric}`;
      const listed = ordered.some((r) => Array.isArray(r.metrics[metric]));
      const box = chartBox(container, key, listed ? `${metric} (last value)` : metric);
      container.append(box);
      const color = PALETTE[i % PALETTE.length];
      const ys = ordered.map((r) => plotValue(r.metrics[metric]));
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
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
            values: (_u, splits) =>
              splits.map((s) =>
                Number.isInteger(s) && labels[s] !== undefined ? shortLabel(labels[s], 13) : "",
              ),
            grid: { show: false },
          },
          { size: 56, grid: { stroke: "#eef1f6" } },
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
            paths: ordered.length <= 300 ? uPlot.paths.bars({ size: [0.65, 64] }) : undefined,
            fill: ordered.length <= 300 ? `${color}bb` : `${color}22`,
            points: { show: false },
            value: (_u, v) => (v === null ? "—" : fmtNumber(v)),
          },
        ],
      };
      plot(box, key, `${metric}|${labels.join("\u0000")}`, options, [xs, ys]);
    });
  }

  /** A y range that starts at zero, so bar heights compare honestly. */
  function zeroBasedRange(_u, min, max) {
    const lo = Math.min(0, min ?? 0);
    const hi = Math.max(0, max ?? 0);
    const pad = (hi - lo) * 0.08 || 1;
    return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0];
  }

  /** Series per metric: list metrics in the records, and values streamed while logging. */
  function seriesData(records) {
    const byMetric = new Map();
    for (const record of records) {
      const streamed = state.history.get(record.slug);
      const names = new Set([
        ...Object.keys(record.metrics || {}),
        ...(streamed ? streamed.keys() : []),
      ]);
      for (const name of names) {
        const value = record.metrics[name];
        let values = null;
        if (isSeries(value)) values = value.map((v) => (isNumber(v) ? v : null));
        else if (streamed?.get(name)?.length > 1) values = streamed.get(name);
        if (!values) continue;
        if (!byMetric.has(name)) byMetric.set(name, []);
        byMetric.get(name).push({ record, values });
      }
    }
    return byMetric;
  }

  function drawSeriesCharts(records) {
    const container = $("series");
    const byMetric = seriesData(records);
    $("series-card").hidden = byMetric.size === 0;
    const names = [...byMetric.keys()].sort();
    dropCharts(container, new Set(names.map((m) => `line:${m}`)));
    for (const metric of names) {
      const lines = byMetric.get(metric).slice(-MAX_SERIES_LINES);
      const length = Math.max(...lines.map((l) => l.values.length));
      const xs = Array.from({ length }, (_, i) => i);
      const data = [
        xs,
        ...lines.map((l) => xs.map((i) => (i < l.values.length ? l.values[i] : null))),
      ];
      const options = {
        scales: { x: { time: false } },
        axes: [STEP_AXIS, { size: 56, grid: { stroke: "#eef1f6" } }],
        series: [
          { label: "step" },
          ...lines.map((l, i) => ({
            label: shortLabel(l.record.name, 28),
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            points: { show: length < 40, size: 5 },
            value: (_u, v) => (v === null ? "—" : fmtNumber(v)),
          })),
        ],
      };
      const key = `line:${metric}`;
      const box = chartBox(container, key, metric);
      container.append(box);
      plot(box, key, `${metric}|${lines.map((l) => l.record.slug).join("\u0000")}`, options, data);
    }
  }

  // ---- experiment page ----------------------------------------------------------------------

  /** A list or an object as JSON: on one line when short, else indented. */
  function jsonBlock(value) {
    const line = JSON.stringify(value);
    return line.length <= 64
      ? el("code", { class: "mono", text: line })
      : el("pre", { text: JSON.stringify(value, null, 2) });
  }

  function kvTable(object) {
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
            el(
              "td",
              {},
              value !== null && typeof value === "object" ? jsonBlock(value) : fmt(value),
            ),
          ),
        ),
      ),
    );
  }

  function artifactTable(artifacts) {
    if (!artifacts || artifacts.length === 0)
      return el("div", { class: "empty", text: "No artifacts." });
    const cols = ["name", "handler", "version", "fname", "created_at", "expiry"];
    return el(
      "div",
      { class: "table-wrap" },
      el(
        "table",
        { class: "artifacts" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            cols.map((c) => el("th", { text: c === "fname" ? "file" : c.replace("_at", "") })),
          ),
        ),
        el(
          "tbody",
          {},
          artifacts.map((a) =>
            el(
              "tr",
              {},
              cols.map((c) =>
                el("td", { text: a[c] === undefined || a[c] === null ? "—" : fmt(a[c]) }),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function drawExperiment(slug) {
    const page = clear($("experiment"));
    const record =
      state.records.find((r) => r.slug === slug) || state.live.get(slug) || latestByShortSlug(slug);
    page.append(el("a", { class: "back", href: "#/", text: "← All experiments" }));
    if (!record) {
      page.append(
        el("div", { class: "card empty", text: `No experiment "${slug}" in this project.` }),
      );
      return;
    }
    page.append(
      el(
        "div",
        { class: "exp-head" },
        el("h1", { text: record.name }),
        el("span", { class: "mono muted", text: record.slug }),
        (record.tags || []).map((t) => el("span", { class: "chip", text: t })),
      ),
    );
    const facts = [
      ["Author", record.author],
      ["Created", (record.created_at || "").replace("T", " ")],
      [
        "Last updated",
        `${(record.last_updated || "").replace("T", " ")}${record.last_updated_by ? ` by ${record.last_updated_by}` : ""}`,
      ],
      ["Dependencies", (record.dependencies || []).join(", ") || "—"],
    ];
    page.append(
      el(
        "div",
        { class: "facts" },
        facts.map(([label, value]) =>
          el(
            "div",
            { class: "fact" },
            el("div", { class: "stat-label", text: label }),
            el("div", { text: value || "—" }),
          ),
        ),
      ),
    );
    page.append(
      el(
        "div",
        { class: "grid-2" },
        el("section", { class: "card" }, el("h2", { text: "Metrics" }), kvTable(record.metrics)),
        el(
          "section",
          { class: "card" },
          el("h2", { text: "Parameters" }),
          kvTable(record.parameters),
        ),
      ),
    );
    const seriesBox = el("div", { class: "charts", id: "experiment-series" });
    page.append(el("section", { class: "card" }, el("h2", { text: "Series" }), seriesBox));
    const tests = record.tests || [];
    page.append(
      el(
        "section",
        { class: "card" },
        el("h2", { text: `Tests (${tests.length})` }),
        tests.length === 0
          ? el("div", { class: "empty", text: "No tests." })
          : tests.map((t) =>
              el(
                "div",
                { class: "test" },
                el("h3", { text: t.name }),
                t.description ? el("p", { class: "muted", text: t.description }) : null,
                el(
                  "div",
                  { class: "grid-2" },
                  el(
                    "div",
                    {},
                    el("div", { class: "stat-label", text: "Metrics" }),
                    kvTable(t.metrics),
                  ),
                  el(
                    "div",
                    {},
                    el("div", { class: "stat-label", text: "Parameters" }),
                    kvTable(t.parameters),
                  ),
                ),
                t.artifacts?.length ? artifactTable(t.artifacts) : null,
              ),
            ),
      ),
    );
    page.append(
      el(
        "section",
        { class: "card" },
        el("h2", { text: `Artifacts (${(record.artifacts || []).length})` }),
        artifactTable(record.artifacts),
      ),
    );
    for (const key of [...charts.keys()].filter((k) => k.startsWith("exp:"))) {
      charts.get(key).plot.destroy();
      charts.delete(key);
    }
    const byMetric = seriesData([record]);
    if (byMetric.size === 0) seriesBox.parentElement.hidden = true;
    [...byMetric.keys()].sort().forEach((metric, i) => {
      const values = byMetric.get(metric)[0].values;
      const xs = values.map((_, j) => j);
      const key = `exp:${metric}`;
      const box = chartBox(seriesBox, key, metric);
      const color = PALETTE[i % PALETTE.length];
      plot(
        box,
        key,
        key,
        {
          scales: { x: { time: false } },
          axes: [STEP_AXIS, { size: 56, grid: { stroke: "#eef1f6" } }],
          series: [
            { label: "step" },
            { label: metric, stroke: color, fill: `${color}22`, width: 2 },
          ],
        },
        [xs, values],
      );
    });
  }

  function latestByShortSlug(slug) {
    return state.records
      .filter((r) => r.short_slug === slug)
      .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  }

  // ---- flow -------------------------------------------------------------------------------

  const flowNodes = new Map(); // task id -> <g>

  function layout(flow) {
    const layer = flow.nodes.map(() => 0);
    const upstream = flow.nodes.map(() => []);
    for (const [from, to] of flow.edges) upstream[to].push(from);
    for (const node of flow.nodes)
      for (const up of upstream[node.id]) layer[node.id] = Math.max(layer[node.id], layer[up] + 1);
    const columns = [];
    const position = new Map();
    for (const node of flow.nodes) {
      const x = layer[node.id];
      columns[x] = columns[x] || [];
      position.set(node.id, { x, y: columns[x].length });
      columns[x].push(node.id);
    }
    return { position, columns };
  }

  function renderFlow() {
    const flow = state.flow;
    $("flow-card").hidden = !flow;
    if (!flow) return;
    $("flow-name").textContent = flow.name;
    $("flow-mermaid").textContent = flow.mermaid;
    const { position, columns } = layout(flow);
    const W = 190;
    const H = 34;
    const GX = 70;
    const GY = 14;
    const rows = Math.max(1, ...columns.map((c) => c.length));
    const graph = svg("svg", {
      width: columns.length * (W + GX) + 20,
      height: rows * (H + GY) + 20,
      role: "img",
    });
    const caption = svg("title");
    caption.textContent = `Graph of flow ${flow.name}`;
    graph.append(caption);
    const at = (id) => {
      const p = position.get(id);
      return { x: 10 + p.x * (W + GX), y: 10 + p.y * (H + GY) };
    };
    for (const [from, to] of flow.edges) {
      const a = at(from);
      const b = at(to);
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const mid = (x1 + x2) / 2;
      graph.append(
        svg("path", { class: "edge", d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` }),
      );
    }
    flowNodes.clear();
    for (const node of flow.nodes) {
      const p = at(node.id);
      const g = svg("g", {
        class: "node",
        transform: `translate(${p.x},${p.y})`,
        "data-task": node.id,
      });
      g.append(svg("rect", { width: W, height: H }));
      const text = svg("text", { x: 10, y: H / 2 });
      text.textContent = shortLabel(node.name, 26);
      const title = svg("title");
      title.textContent = node.name;
      g.append(text, title);
      graph.append(g);
      flowNodes.set(node.id, g);
    }
    clear($("flow-graph")).append(graph);
    for (const task of flow.tasks) updateTask(task);
    updateRun();
  }

  function updateTask(task) {
    if (state.flow) state.flow.tasks[task.id] = task;
    const g = flowNodes.get(task.id);
    if (!g) return;
    g.setAttribute("class", `node ${task.status}`);
    const name = state.flow.nodes[task.id].name;
    g.querySelector("title").textContent = task.detail
      ? `${name}: ${task.status} (${task.detail})`
      : `${name}: ${task.status}`;
  }

  function updateRun() {
    const flow = state.flow;
    if (!flow) return;
    const done = flow.tasks.filter(
      (t) => t.status === "succeeded" || t.status === "failed" || t.status === "not-run",
    ).length;
    $("flow-bar").style.width = `${flow.nodes.length ? (100 * done) / flow.nodes.length : 0}%`;
    const badge = $("flow-status");
    badge.className = `badge ${state.runStatus}`;
    badge.textContent = `${state.runStatus} · ${done}/${flow.nodes.length} tasks`;
    const running = flow.tasks
      .filter((t) => t.status === "running" || t.status === "retrying")
      .map((t) => flow.nodes[t.id].name);
    $("flow-running").textContent = running.length
      ? `Running: ${running.slice(0, 6).join(", ")}${running.length > 6 ? ` and ${running.length - 6} more` : ""}`
      : "";
  }

  // ---- live connection ----------------------------------------------------------------------

  function setLive(mode, text) {
    $("live").setAttribute("data-state", mode);
    $("live-text").textContent = text;
  }

  function showProblem(message) {
    const box = $("problem");
    box.hidden = !message;
    box.textContent = message ? `The project file could not be read: ${message}` : "";
  }

  function connect() {
    const source = new EventSource("/api/events");
    source.addEventListener("open", () => setLive("live", "live"));
    source.addEventListener("error", () => setLive("offline", "reconnecting…"));
    source.addEventListener("hello", (e) => {
      const hello = JSON.parse(e.data);
      // A large file is still being read: its records come with the first revision.
      if (hello.loading) setLive("connecting", "reading the project…");
      else setLive("live", "live");
      if (hello.revision !== state.revision) fetchProject();
      if (hello.flow !== null) fetchFlow();
      fetchHistory();
    });
    source.addEventListener("project", (e) => {
      const change = JSON.parse(e.data);
      setLive("live", "live");
      if (change.upserts && change.base === state.revision && !fetching) applyDelta(change);
      else if (change.revision !== state.revision) fetchProject();
    });
    source.addEventListener("live", (e) => applyLive(JSON.parse(e.data)));
    source.addEventListener("task", (e) => {
      const change = JSON.parse(e.data);
      state.runStatus = change.run;
      updateTask(change.task);
      updateRun();
    });
    source.addEventListener("run", (e) => {
      const change = JSON.parse(e.data);
      state.runStatus = change.status;
      if (change.status === "running") fetchFlow();
      else updateRun();
    });
  }

  // ---- routing ------------------------------------------------------------------------------

  function currentRoute() {
    const match = /^#\/e\/(.+)$/.exec(location.hash);
    if (!match) return { slug: null };
    try {
      return { slug: decodeURIComponent(match[1]) };
    } catch {
      return { slug: null };
    }
  }

  window.addEventListener("hashchange", () => {
    window.scrollTo(0, 0);
    draw();
  });
  window.addEventListener("resize", () => render());
  $("filter").addEventListener("input", (e) => {
    state.filter = e.target.value;
    state.limit = PAGE;
    render();
  });

  // The event stream's greeting fetches the project; without one soon, fetch it anyway.
  setTimeout(() => {
    if (state.revision < 0 && !fetching)
      fetchProject().catch((error) => showProblem(String(error)));
  }, 2000);
  connect();
})();
