/**
 * Server-Sent Events: the open event streams of the browsers, and a broadcast to all of them.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import { toJson } from "./json.js";

/** The browsers' open event streams. */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;

  /** Starts the hub; a comment line every `heartbeatMs` keeps idle connections open. */
  constructor(heartbeatMs = 15_000) {
    this.#heartbeat = setInterval(() => this.#write(": ping\n\n"), heartbeatMs);
    this.#heartbeat.unref();
  }

  /** How many browsers listen. */
  get size(): number {
    return this.#clients.size;
  }

  /** Makes `response` an event stream and sends it `first` (the current state) at once. */
  open(response: ServerResponse, first: { event: string; data: unknown }): void {
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    response.write("retry: 1000\n\n");
    response.write(frame(first.event, first.data));
    this.#clients.add(response);
    response.on("close", () => this.#clients.delete(response));
  }

  /** Sends one event to every browser. */
  send(event: string, data: unknown): void {
    if (this.#clients.size > 0) this.#write(frame(event, data));
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #write(text: string): void {
    for (const client of this.#clients) client.write(text);
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${toJson(data)}\n\n`;
}
