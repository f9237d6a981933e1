/**
 * The dashboard's routes: the allow-listed static files, the JSON API and the event stream.
 * A request path is only ever compared with fixed routes or used as a key; it never reaches
 * the filesystem.
 *
 * The JSON API (`GET` or `HEAD`; NaN and the infinities are sent as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"`, integers beyond 2**53 as decimal strings):
 *
 * - `/api/summary`: the experiments table, one compact row per experiment, in the project's
 *   order: `{ fpath, revision, error, size, names: { metrics, parameters }, experiments }`.
 *   A row is an array, `[slug, short_slug, name, author, last_updated_by, created_at,
 *   last_updated, tags, tests, artifacts, metrics, other_metrics, parameters]`, where `tests`
 *   and `artifacts` are counts, `metrics` and `parameters` are flat lists of pairs (the
 *   name's index in `names.metrics` or `names.parameters`, then the value) holding the scalar
 *   values only (a list or object value is in the full record), and `other_metrics` lists the
 *   indexes of the metrics left out (their value is a list or an object). The page makes
 *   each row back into an object (`assets/js/summary.js`). This is what a table should load:
 *   at 50,000 experiments it is about a fifth of `/api/project`.
 * - `/api/summary?preview=N[&end=oldest]`: the same for the N newest (or oldest) records of
 *   the project file (at most 5,000), read from the file's end (or start) without reading
 *   the rest, answered at once even while the file is first read, with
 *   `preview: { estimated_size }` (how many records the whole file holds, estimated) and
 *   `revision: 0`; 404 `{ error }` for a file not in Python's layout (or no file). A page
 *   shows it while the full summary is read, then replaces it.
 * - `/api/experiments/<slug>`: one experiment's full record (as `experiment.toJSON()`), by
 *   slug, or the latest of that short slug; 404 `{ error }` when there is none.
 * - `/api/project`: `{ fpath, revision, error, experiments }` with every full record (the
 *   page's original contract; large).
 * - `/api/tabular`: `{ revision, experiments, tests }`, the rows of `project.toTabular()`.
 * - `/api/live`: `{ seq, series }`, the metric values streamed in this process so far.
 * - `/api/flow`: the served flow's graph and task states (404 without a flow).
 *
 * While the project file is read for the first time, the project routes above answer once it
 * is read; the static files and the event stream answer at once.
 *
 * The event stream, `/api/events` (Server-Sent Events), in the order the server sends them:
 *
 * - `hello` `{ revision, flow, loading }` first: the revision the data routes now answer with
 *   (0: none yet), the flow's status or `null`, and whether the file is still being read.
 * - `project` `{ revision, base, error, upserts?, rows?, names?, removed? }` for every new
 *   revision: when `base` is the revision a browser holds, it applies `removed` (slugs), then
 *   `upserts` (full records) or `rows` (their compact summary rows, same order, read with
 *   `names` as `/api/summary`'s) replacing by slug;
 *   without them (more than 500 changes) or from another base, it fetches `/api/summary`
 *   (or `/api/project`) again. `error` says why the file could not be read (the last good
 *   records stay shown) or is `null`.
 * - `live` (metric values being logged), `task` and `run` (the flow's progress).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Asset } from "./assets.js";
import { experimentRoute } from "./experimentRoutes.js";
import type { FlowView } from "./flowView.js";
import type { EventHub } from "./hub.js";
import { toJson } from "./json.js";
import type { LiveExperiments } from "./liveExperiments.js";
import type { LiveHistory } from "./liveHistory.js";
import type { ProjectView } from "./projectView.js";
import { notFound, SECURITY_HEADERS, send, sendJson } from "./respond.js";
import type { PreviewEnd, SummaryPreview } from "./summaryPreview.js";

/** What the routes serve. */
export interface RouteContext {
  readonly assets: ReadonlyMap<string, Asset>;
  readonly project: ProjectView;
  readonly flow: FlowView | undefined;
  readonly hub: EventHub;
  readonly history: LiveHistory;
  readonly live: LiveExperiments;
  /**
   * The preview of the project file's newest or oldest records (see `readSummaryPreview`),
   * when the project is read from a local file.
   */
  readonly preview?: (count: number, end: PreviewEnd) => Promise<SummaryPreview | undefined>;
  /** The `Host` header values accepted (`undefined`: any, for a server bound to every address). */
  readonly hosts: ReadonlySet<string> | undefined;
}

/** Sends JSON text made of `pieces`, as they come, waiting whenever the connection is full. */
function sendPieces(response: ServerResponse, pieces: Iterator<string>, head: boolean): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
  });
  if (head) {
    response.end();
    return;
  }
  const pump = (): void => {
    for (;;) {
      if (response.destroyed) return;
      const next = pieces.next();
      if (next.done === true) {
        response.end();
        return;
      }
      if (!response.write(next.value)) {
        response.once("drain", pump);
        return;
      }
    }
  };
  pump();
}

/** The most rows a preview sends. */
const MAX_PREVIEW = 5000;

/**
 * `/api/summary?preview=N[&end=oldest]`: the compact rows of the file's N newest (or oldest)
 * records, read from its end (or start) at once, even while the file is first read; 404 when
 * there is no preview (no local file, not in Python's layout).
 */
function previewRoute(
  context: RouteContext,
  query: URLSearchParams,
  response: ServerResponse,
  head: boolean,
): void {
  const count = Number(query.get("preview"));
  const end = query.get("end") ?? "newest";
  if (!Number.isSafeInteger(count) || count < 1 || (end !== "newest" && end !== "oldest")) {
    sendJson(
      response,
      400,
      toJson({ error: "preview wants a count ≥ 1 and end=newest|oldest" }),
      head,
    );
    return;
  }
  const none = () => sendJson(response, 404, toJson({ error: "no preview of this project" }), head);
  if (context.preview === undefined) {
    none();
    return;
  }
  context.preview(Math.min(count, MAX_PREVIEW), end).then(
    (preview) => {
      if (preview === undefined) return none();
      const { fpath } = context.project;
      const fields = `"fpath":${toJson(fpath ?? null)},"revision":0,"error":null,"size":${preview.rows.length}`;
      const about = `"preview":{"estimated_size":${preview.estimatedSize}},"names":${toJson(preview.names)}`;
      sendJson(
        response,
        200,
        `{${fields},${about},"experiments":[${preview.rows.join(",")}]}`,
        head,
      );
    },
    () => none(),
  );
}

/** The routes that answer with the project's experiments, once the file has been read. */
const PROJECT_DATA = /^\/api\/(project|summary|tabular|experiments\/.*)$/;

/** Answers one request. */
export function route(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const head = request.method === "HEAD";
  if (request.method !== "GET" && !head) {
    response.setHeader("Allow", "GET, HEAD");
    sendJson(response, 405, toJson({ error: "method not allowed" }), head);
    return;
  }
  if (context.hosts !== undefined && !context.hosts.has(request.headers.host ?? "")) {
    sendJson(response, 403, toJson({ error: "unexpected Host header" }), head);
    return;
  }
  const path = (request.url ?? "/").split("?", 1)[0] as string;
  const asset = context.assets.get(path);
  if (asset !== undefined) {
    send(response, 200, asset.contentType, asset.body, head);
    return;
  }
  const { project, flow } = context;
  const query = new URLSearchParams((request.url ?? "").slice(path.length + 1));
  if (path === "/api/summary" && query.has("preview")) {
    previewRoute(context, query, response, head);
    return;
  }
  if (project.loading && PROJECT_DATA.test(path)) {
    // The file is being read for the first time: answer once it is.
    void project.whenRead().then(() => route(context, request, response));
    return;
  }
  if (path === "/api/project") {
    sendPieces(response, project.projectJson(), head);
  } else if (path === "/api/summary") {
    sendPieces(response, project.summaryJson(), head);
  } else if (path === "/api/tabular") {
    sendJson(response, 200, project.tabularJson(), head);
  } else if (path === "/api/live") {
    sendJson(
      response,
      200,
      toJson({ ...context.history.toJSON(), experiments: context.live }),
      head,
    );
  } else if (path === "/api/flow") {
    if (flow === undefined) notFound(response, head);
    else sendJson(response, 200, toJson(flow), head);
  } else if (path.startsWith("/api/experiments/")) {
    experimentRoute(context, path.slice("/api/experiments/".length), response, head, query).catch(
      (error: unknown) => {
        if (!response.headersSent) {
          sendJson(response, 500, toJson({ error: String(error) }), head);
        } else response.destroy();
      },
    );
  } else if (path === "/api/events" && !head) {
    response.setHeader("Content-Security-Policy", SECURITY_HEADERS["Content-Security-Policy"]);
    context.hub.open(response, {
      event: "hello",
      data: { revision: project.revision, flow: flow?.status ?? null, loading: project.loading },
    });
  } else {
    notFound(response, head);
  }
}
