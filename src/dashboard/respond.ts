/**
 * Writing the dashboard's responses: every one carries the same security headers (a strict
 * Content-Security-Policy: scripts from the server only) and is never cached.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import { toJson } from "./json.js";

/** The headers of every response. */
export const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
} as const;

/** Sends `body` with `status` (headers only for a HEAD request). */
export function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  head: boolean,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    "Content-Type": contentType,
    "Content-Length": typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
    "Cache-Control": "no-store",
  });
  response.end(head ? undefined : body);
}

/** Sends JSON text. */
export function sendJson(
  response: ServerResponse,
  status: number,
  json: string,
  head: boolean,
): void {
  send(response, status, "application/json; charset=utf-8", json, head);
}

/** Sends a 404 with `{ error }`. */
export function notFound(response: ServerResponse, head: boolean, error = "not found"): void {
  sendJson(response, 404, toJson({ error }), head);
}
