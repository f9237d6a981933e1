/**
 * The dashboard's routes: the allow-listed static files, the JSON API and the event stream.
 * A request path is only ever compared with fixed routes or used as a key; it never reaches
 * the filesystem.
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

/** What the routes serve. */
export interface RouteContext {
  readonly assets: ReadonlyMap<string, Asset>;
  readonly project: ProjectView;
  readonly flow: FlowView | undefined;
  readonly hub: EventHub;
  readonly history: LiveHistory;
  readonly live: LiveExperiments;
  /** The `Host` header values accepted (`undefined`: any, for a server bound to every address). */
  readonly hosts: ReadonlySet<string> | undefined;
}

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
  if (path === "/api/project") {
    sendJson(response, 200, project.projectJson(), head);
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
    experimentRoute(context, path.slice("/api/experiments/".length), response, head).catch(
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
      data: { revision: project.revision, flow: flow?.status ?? null },
    });
  } else {
    notFound(response, head);
  }
}
