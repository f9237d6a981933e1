// What the page knows: the project's summary rows (`/api/summary`: fields, scalar metrics and
// parameters, counts of tests and artifacts), the full records of the experiments a page
// shows (fetched one by one), the experiments being logged in the server's process (running
// or failed), the values streamed while logging, and the flow. Fetches and applies the
// server's changes, then tells its listeners.

import { fetchPreview } from "./preview.js";
import { expandRows, metricKeys, parameterKeys } from "./summary.js";

export const state = {
  fpath: null,
  revision: -1, // the project's revision the page shows
  error: null,
  records: [], // summary rows, in the project's order
  // While the rows shown are a preview of the file's newest or oldest records (the file is
  // still being read): `{ shown, estimated }`, how many rows and about how many in all.
  preview: null,
  bySlug: new Map(),
  full: new Map(), // slug -> { record } or { error }: the full records fetched so far
  fullTick: 0, // changes whenever a full record arrives
  live: new Map(), // slug -> { record, status: "running" | "failed", error }
  history: new Map(), // slug -> Map(metric -> { steps, values }) streamed so far
  historySeq: 0, // the last live event the history holds
  tick: 0, // changes whenever the data changes
  flow: null,
  runStatus: "idle",
  selected: new Set(), // slugs chosen for comparison
};

const listeners = new Set();
/** Calls `listener` after each change of the data. */
export function onChange(listener) {
  listeners.add(listener);
}
function notify() {
  for (const listener of listeners) listener();
}
function changed() {
  state.tick++;
  notify();
}

const fullFetches = new Map(); // slug -> the revision the fetch started at

/**
 * The full record of a saved experiment (as `/api/experiments/<slug>` gives it) as
 * `{ record }`, or `{ error }` when it could not be fetched, or `undefined` while it is
 * fetched (the listeners are told when it arrives).
 */
export function fullRecord(slug) {
  const known = state.full.get(slug);
  if (known) return known;
  if (!state.bySlug.has(slug) || fullFetches.has(slug)) return undefined;
  const revision = state.revision;
  fullFetches.set(slug, revision);
  getJson(experimentUrl(slug)).then(
    (record) => settle(slug, revision, { record }),
    (error) => settle(slug, revision, { error: String(error.message || error) }),
  );
  return undefined;
}

function settle(slug, revision, entry) {
  if (fullFetches.get(slug) !== revision) return;
  fullFetches.delete(slug);
  // Changed meanwhile (its cache entry was dropped, the fetch forgotten): fetched again.
  if (state.bySlug.has(slug)) state.full.set(slug, entry);
  state.fullTick++;
  notify();
}

function forgetFull(slug) {
  state.full.delete(slug);
  fullFetches.delete(slug);
}

/**
 * The row of `slug` (see `findRow`) with the full record of a saved experiment: `loading`
 * while it is fetched, `error` when it could not be.
 */
export function findFullRow(slug) {
  const row = findRow(slug);
  if (!row || row.status !== null) return row;
  const full = fullRecord(row.record.slug);
  if (full === undefined) return { ...row, loading: true };
  if (full.error !== undefined) return { ...row, loading: true, error: full.error };
  return { record: full.record, status: null, error: null };
}

export async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** The URL of an experiment's resource: each segment encoded. */
export function experimentUrl(slug, ...parts) {
  return ["/api/experiments", slug, ...parts]
    .map((p, i) => (i ? encodeURIComponent(p) : p))
    .join("/");
}

/** The experiments shown: the project's, then those being logged (running or failed). */
export function allRows() {
  const rows = state.records.map((record) => ({ record, status: null, error: null }));
  for (const live of state.live.values()) rows.push(live);
  return rows;
}

/** The record of a slug (or of the latest experiment with that short slug). */
export function findRow(slug) {
  const record = state.bySlug.get(slug);
  if (record) return { record, status: null, error: null };
  const live = state.live.get(slug);
  if (live) return live;
  const latest = state.records
    .filter((r) => r.short_slug === slug)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  return latest ? { record: latest, status: null, error: null } : null;
}

/** Shows the preview rows of a large project (see `fetchPreview`), if the server has them. */
async function showPreview() {
  const project = await fetchPreview();
  if (!project) return;
  state.fpath = project.fpath;
  state.records = expandRows(project.experiments, project.names);
  state.bySlug = new Map(state.records.map((r) => [r.slug, r]));
  state.preview = { shown: project.size, estimated: project.preview.estimated_size };
  changed();
}

let fetching = null;
let wanted = 0; // the revision asked for while a fetch was under way
export function isFetching() {
  return fetching !== null;
}

/**
 * Fetches the summary rows. Asked for `revision` while a fetch is under way, fetches again
 * after it only if its answer is older: the first revision, announced while a large file is
 * still read, comes with the answer of the fetch the greeting started.
 */
export async function fetchProject(revision = 0) {
  if (fetching) {
    wanted = Math.max(wanted, revision);
    return fetching;
  }
  fetching = (async () => {
    try {
      if (state.revision < 0 && state.preview === null) await showPreview();
      const project = await getJson("/api/summary");
      state.preview = null;
      state.fpath = project.fpath;
      state.revision = project.revision;
      state.error = project.error;
      const old = state.bySlug;
      state.records = expandRows(project.experiments, project.names);
      state.bySlug = new Map(state.records.map((r) => [r.slug, r]));
      for (const slug of [...state.full.keys(), ...fullFetches.keys()]) {
        const row = state.bySlug.get(slug);
        if (!row || row.last_updated !== old.get(slug)?.last_updated) forgetFull(slug);
      }
      for (const record of state.records) state.live.delete(record.slug);
      changed();
    } finally {
      fetching = null;
      const again = state.revision < wanted;
      wanted = 0;
      if (again) fetchProject();
    }
  })();
  return fetching;
}

/**
 * Applies a revision's delta: the summary rows added or changed (compact, read with the
 * names the revision sends), and the slugs removed.
 */
export function applyDelta(change) {
  const removed = new Set(change.removed);
  const records =
    removed.size > 0 ? state.records.filter((r) => !removed.has(r.slug)) : state.records;
  for (const slug of removed) {
    state.bySlug.delete(slug);
    forgetFull(slug);
  }
  let unordered = false;
  for (const record of expandRows(change.rows, change.names)) {
    forgetFull(record.slug);
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
  state.error = change.error;
  changed();
}

function liveEntry(slug, name) {
  let entry = state.live.get(slug);
  if (!entry) {
    entry = {
      record: {
        name,
        slug,
        short_slug: "",
        author: "",
        created_at: "",
        metrics: {},
        parameters: {},
        tags: [],
        tests: [],
        artifacts: [],
      },
      status: "running",
      error: null,
    };
    state.live.set(slug, entry);
  }
  return entry;
}

function addPoint(slug, name, value, step) {
  if (!state.history.has(slug)) state.history.set(slug, new Map());
  const metrics = state.history.get(slug);
  let series = metrics.get(name);
  if (!series) {
    series = { steps: [], values: [] };
    metrics.set(name, series);
  }
  const last = series.steps[series.steps.length - 1];
  series.steps.push(typeof step === "number" ? step : last === undefined ? 0 : last + 1);
  series.values.push(value);
}

/** The experiments being logged and the values streamed before this page connected. */
export async function fetchLive() {
  const live = await getJson("/api/live");
  state.history = new Map(
    Object.entries(live.series).map(([slug, metrics]) => [slug, new Map(Object.entries(metrics))]),
  );
  state.historySeq = live.seq;
  for (const experiment of live.experiments) {
    if (state.bySlug.has(experiment.slug)) continue;
    const entry = liveEntry(experiment.slug, experiment.name);
    Object.assign(entry.record, {
      author: experiment.author,
      created_at: experiment.created_at,
      parameters: { ...experiment.parameters },
      metrics: { ...experiment.metrics },
      tags: [...experiment.tags],
      tests: experiment.tests.map((name) => ({ name, metrics: {}, parameters: {} })),
    });
    entry.status = experiment.status === "failed" ? "failed" : "running";
    entry.error = experiment.error;
  }
  changed();
}

/** Applies the live events: logging on experiments not in the project yet, starts, failures. */
export function applyLive(events) {
  for (const event of events) {
    if (state.bySlug.has(event.slug) && event.type !== "metric-logged") continue;
    if (event.type === "experiment-opened") {
      const entry = liveEntry(event.slug, event.record.name);
      entry.record.author = event.record.author;
      entry.record.created_at = event.record.created_at;
      continue;
    }
    if (event.type === "experiment-failed") {
      const entry = liveEntry(event.slug, event.experiment);
      entry.status = "failed";
      entry.error = event.error;
      continue;
    }
    const known = state.bySlug.get(event.slug);
    const record = known || liveEntry(event.slug, event.experiment).record;
    if (event.test !== undefined) {
      if (
        event.type === "test-logged" &&
        !known &&
        !record.tests.some((t) => t.name === event.test)
      ) {
        record.tests.push({ name: event.test, metrics: {}, parameters: {} });
      }
      continue;
    }
    if (event.type === "metric-logged") {
      if (!known) record.metrics[event.name] = event.value;
      if (typeof event.value === "number" && event.seq > state.historySeq) {
        addPoint(event.slug, event.name, event.value, event.step);
      }
    } else if (event.type === "parameter-logged") {
      record.parameters[event.name] = event.value;
      const full = known && state.full.get(event.slug)?.record;
      if (full) full.parameters[event.name] = event.value;
    } else if (event.type === "tags-changed") {
      record.tags = event.tags;
      const full = known && state.full.get(event.slug)?.record;
      if (full) full.tags = event.tags;
    }
  }
  changed();
}

let flowFetch = null;
let flowBuffer = [];

/**
 * Fetches the flow's graph and task states. Task and run events that arrive meanwhile are
 * kept, then those newer than the states fetched (by their `seq`) are applied, so a slow
 * answer never undoes a newer event.
 */
export function fetchFlow(apply) {
  flowFetch ??= (async () => {
    try {
      const response = await fetch("/api/flow", { cache: "no-store" });
      if (!response.ok) return;
      state.flow = await response.json();
      state.runStatus = state.flow.status;
    } finally {
      flowFetch = null;
      if (state.flow) apply(null);
      const buffered = flowBuffer;
      flowBuffer = [];
      for (const event of buffered) flowEvent(event, apply);
      changed();
    }
  })();
  return flowFetch;
}

/**
 * Takes a task event (`{ task, run, seq }`) or a run event (`{ status, seq }`): applied by
 * `apply` when it is newer than what the page holds, kept while the states are fetched.
 */
export function flowEvent(event, apply) {
  if (flowFetch || !state.flow) {
    flowBuffer.push(event);
    if (!flowFetch) fetchFlow(apply);
    return;
  }
  if (event.seq <= state.flow.seq) return;
  state.flow.seq = event.seq;
  if (event.task) {
    state.flow.tasks[event.task.id] = event.task;
    state.runStatus = event.run;
  } else {
    state.runStatus = event.status;
    state.flow.status = event.status;
    // A new run: every task is pending again (the server reset them too).
    if (event.status === "running") {
      state.flow.tasks = state.flow.tasks.map((t) => ({
        id: t.id,
        status: "pending",
        detail: null,
      }));
    }
  }
  apply(event);
}

/** Metric names of these records (or summary rows), in natural order. */
export function metricNames(records, byName) {
  const names = new Set();
  for (const r of records) {
    for (const name of metricKeys(r)) names.add(name);
    for (const name of r.other_metrics || []) names.add(name);
  }
  return [...names].sort(byName);
}

/** Parameter names of these records, in natural order. */
export function parameterNames(records, byName) {
  const names = new Set();
  for (const r of records) for (const name of parameterKeys(r)) names.add(name);
  return [...names].sort(byName);
}
