/**
 * The routes under `/api/experiments/<slug>`: the record, a metric's history, the artifact
 * list and an artifact's bytes. Names in the path are only compared with what the
 * experiment's records hold: an artifact is found by its recorded name and read by its
 * recorded file name through the storage backend, so no part of a URL becomes a path.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import type { ArtifactRecord, MetricValue } from "../format/schemas.js";
import type { Experiment } from "../model/experiment.js";
import type { Test } from "../model/test.js";
import { keptPoints } from "./downsample.js";
import { toJson } from "./json.js";
import type { LiveExperiments } from "./liveExperiments.js";
import type { LiveHistory } from "./liveHistory.js";
import type { ProjectView } from "./projectView.js";
import { notFound, send, sendJson } from "./respond.js";

/** What the experiment routes read. */
export interface ExperimentContext {
  readonly project: ProjectView;
  readonly history: LiveHistory;
  readonly live: LiveExperiments;
}

/** One point of a metric's history. */
export interface HistoryPoint {
  readonly step: number;
  /** The value; `null` for one that is not a finite number (NaN...). */
  readonly value: number | null;
  /** When it was logged (epoch ms), or `null` when not known. */
  readonly time: number | null;
}

/** A metric's history as `/api/experiments/<slug>/metrics/<name>/history` gives it. */
export interface MetricHistoryBody {
  readonly slug: string;
  readonly name: string;
  /**
   * Where the points come from: `history` (recorded with the experiment), `live` (streamed
   * in this process), `last` (the metric's value: one point, or a list metric's values).
   */
  readonly source: "history" | "live" | "last";
  readonly points: readonly HistoryPoint[];
  /**
   * How many points the whole history has, when `?points=` asked for fewer (then `points`
   * holds those the page's downsampling keeps); the route without `points` gives them all.
   */
  readonly total?: number;
}

/** The fewest points `?points=` may ask for (one bucket: its low, its high, the ends). */
export const MIN_HISTORY_POINTS = 4;

/** `?points=` as a number, `undefined` without it, `null` when it is not a valid count. */
function pointsWanted(query: URLSearchParams): number | undefined | null {
  const text = query.get("points");
  if (text === null) return undefined;
  const points = Number(text);
  return /^\d+$/.test(text) && points >= MIN_HISTORY_POINTS ? points : null;
}

/** `body` with only the points the page's downsampling keeps for `points` points. */
async function downsampled(body: MetricHistoryBody, points: number): Promise<MetricHistoryBody> {
  if (body.points.length <= points) return body;
  const kept = await keptPoints(
    { steps: body.points.map((p) => p.step), values: body.points.map((p) => p.value) },
    points,
  );
  return {
    ...body,
    points: kept.map((i) => body.points[i] as HistoryPoint),
    total: body.points.length,
  };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: "application/json; charset=utf-8",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  txt: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

const finite = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function timeOf(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function lastValuePoints(value: MetricValue | undefined): HistoryPoint[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.map((v, step) => ({ step, value: finite(v), time: null }));
  }
  return [{ step: 0, value: finite(value), time: null }];
}

/** A metric's history: recorded, else streamed here, else its value. */
export async function metricHistory(
  context: ExperimentContext,
  slug: string,
  name: string,
  experiment: Experiment | undefined,
): Promise<MetricHistoryBody | undefined> {
  if (experiment !== undefined) {
    const points = await experiment.metricHistory(name);
    // One point without a time is no history: the metric's value, logged once.
    if (points.length > 1 || (points.length === 1 && points[0]?.time !== null)) {
      return {
        slug,
        name,
        source: "history",
        points: points.map((p) => ({ step: p.step, value: finite(p.value), time: timeOf(p.time) })),
      };
    }
  }
  const streamed = context.history.series(slug, name);
  if (streamed !== undefined && streamed.values.length > 1) {
    const points = streamed.values.map((value, i) => ({
      step: streamed.steps[i] as number,
      value,
      time: null,
    }));
    return { slug, name, source: "live", points };
  }
  const value = experiment?.metrics[name] ?? context.live.get(slug)?.metrics[name];
  if (value === undefined && streamed === undefined) return undefined;
  return { slug, name, source: "last", points: lastValuePoints(value ?? streamed?.values[0]) };
}

/** An artifact as the list gives it. */
interface ArtifactEntry {
  readonly name: string;
  readonly handler: string;
  readonly fname: string;
  readonly version: unknown;
  readonly created_at: unknown;
  /** The test it belongs to, or `null` for the experiment's own. */
  readonly test: string | null;
  /** Its size in bytes, or `null` when its file cannot be read (`error` says why). */
  readonly size: number | null;
  readonly error: string | null;
  /** Its content type when served. */
  readonly type: string;
}

function contentType(fname: string): string {
  const dot = fname.lastIndexOf(".");
  const ext = dot < 0 ? "" : fname.slice(dot + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

async function entry(owner: Experiment | Test, record: ArtifactRecord, test: string | null) {
  let size: number | null = null;
  let error: string | null = null;
  try {
    size = (await owner.artifactBytes(record.name))?.data.byteLength ?? null;
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  const listed: ArtifactEntry = {
    name: record.name,
    handler: record.handler,
    fname: record.fname,
    version: record.version ?? null,
    created_at: record.created_at ?? null,
    test,
    size,
    error,
    type: contentType(record.fname),
  };
  return listed;
}

/** Every artifact of the experiment and of its tests, with its size. */
async function artifactList(experiment: Experiment): Promise<ArtifactEntry[]> {
  const listed = await Promise.all(experiment.artifacts.map((r) => entry(experiment, r, null)));
  for (const test of experiment.tests) {
    listed.push(...(await Promise.all(test.artifacts.map((r) => entry(test, r, test.name)))));
  }
  return listed;
}

async function sendArtifact(
  owner: Experiment | Test,
  name: string,
  response: ServerResponse,
  head: boolean,
): Promise<void> {
  let found: Awaited<ReturnType<Experiment["artifactBytes"]>>;
  try {
    found = await owner.artifactBytes(name);
  } catch (error) {
    notFound(response, head, error instanceof Error ? error.message : String(error));
    return;
  }
  if (found === undefined) {
    notFound(response, head, `no artifact named ${JSON.stringify(name)}`);
    return;
  }
  const file = found.record.fname.split("/").pop() ?? found.record.fname;
  send(response, 200, contentType(file), found.data, head, {
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file)}`,
  });
}

/**
 * Answers `/api/experiments/<rest>`: `<slug>`, `<slug>/metrics/<name>/history` (with
 * `?points=N`, at most N points, N from {@link MIN_HISTORY_POINTS}: those the page's
 * downsampling keeps, spikes included), `<slug>/artifacts`, `<slug>/artifacts/<name>`,
 * `<slug>/tests/<test>/artifacts/<name>` (each segment URL-encoded).
 */
export async function experimentRoute(
  context: ExperimentContext,
  rest: string,
  response: ServerResponse,
  head: boolean,
  query: URLSearchParams = new URLSearchParams(),
): Promise<void> {
  let parts: string[];
  try {
    parts = rest.split("/").map((part) => decodeURIComponent(part));
  } catch {
    notFound(response, head);
    return;
  }
  const [slug, section, name, more, artifact] = parts as (string | undefined)[];
  if (slug === undefined || slug === "") return notFound(response, head);
  const experiment = context.project.experiment(slug);
  const fullSlug = experiment?.slug ?? slug;
  if (parts.length === 1) {
    const entry = context.project.entry(slug);
    const live = entry === undefined ? context.live.get(slug) : undefined;
    if (entry !== undefined) sendJson(response, 200, entry.json(), head);
    else if (live !== undefined) sendJson(response, 200, toJson(live), head);
    else notFound(response, head);
    return;
  }
  if (section === "metrics" && name !== undefined && more === "history" && parts.length === 4) {
    const points = pointsWanted(query);
    if (points === null) {
      const error = `points must be an integer of at least ${MIN_HISTORY_POINTS}`;
      sendJson(response, 400, toJson({ error }), head);
      return;
    }
    const body = await metricHistory(context, fullSlug, name, experiment);
    if (body === undefined) notFound(response, head, `no metric named ${JSON.stringify(name)}`);
    else {
      const sent = points === undefined ? body : await downsampled(body, points);
      sendJson(response, 200, toJson(sent), head);
    }
    return;
  }
  if (experiment === undefined) return notFound(response, head);
  if (section === "artifacts" && parts.length === 2) {
    sendJson(response, 200, toJson({ artifacts: await artifactList(experiment) }), head);
  } else if (section === "artifacts" && name !== undefined && parts.length === 3) {
    await sendArtifact(experiment, name, response, head);
  } else if (
    section === "tests" &&
    name !== undefined &&
    more === "artifacts" &&
    artifact !== undefined &&
    parts.length === 5
  ) {
    const test = experiment.tests.find((t) => t.name === name);
    if (test === undefined) notFound(response, head, `no test named ${JSON.stringify(name)}`);
    else await sendArtifact(test, artifact, response, head);
  } else {
    notFound(response, head);
  }
}
