/**
 * The dashboard's routes: the allow-listed static files, the JSON API and the event stream.
 * A request path is only ever compared with fixed routes or used as a key; it never reaches
 * the filesystem.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Asset } from "./assets.js";
import type { FlowView } from "./flowView.js";
import type { EventHub } from "./hub.js";
import { toJson } from "./json.js";
import type { LiveHistory } from "./liveHistory.js";
import type { ProjectView } from "./projectView.js";

/** What the routes serve. */
export interface RouteContext {
  readonly assets: ReadonlyMap<string, Asset>;
  readonly project: ProjectView;
  readonly flow: FlowView | undefined;
  readonly hub: EventHub;
  readonly history: LiveHistory;
  /** The `Host` header values accepted (`undefined`: any, for a server bound to every address). */
  readonly hosts: ReadonlySet<string> | undefined;
}

const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
};

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  head: boolean,
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  response.end(head ? undefined : body);
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

function sendJson(response: ServerResponse, status: number, json: string, head: boolean): void {
  send(response, status, "application/json; charset=utf-8", json, head);
}

function notFound(response: ServerResponse, head: boolean): void {
  sendJson(response, 404, toJson({ error: "not found" }), head);
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
    sendJson(response, 200, toJson(context.history), head);
  } else if (path === "/api/flow") {
    if (flow === undefined) notFound(response, head);
    else sendJson(response, 200, toJson(flow), head);
  } else if (path.startsWith("/api/experiments/")) {
    experiment(context, path.slice("/api/experiments/".length), response, head);
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

function experiment(
  context: RouteContext,
  encoded: string,
  response: ServerResponse,
  head: boolean,
): void {
  let slug: string;
  try {
    slug = decodeURIComponent(encoded);
  } catch {
    notFound(response, head);
    return;
  }
  const entry = context.project.entry(slug);
  if (entry === undefined) notFound(response, head);
  else sendJson(response, 200, entry.json(), head);
}
