/**
 * Server-Sent Events: the open event streams of the browsers, and a broadcast to all of them.
 * Each stream's unsent bytes are bounded: a browser that does not read (its connection stays
 * full) is dropped instead of being buffered for without end; it reconnects on its own and
 * catches up from the current revision, which the "hello" of every new stream carries.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import { toJson } from "./json.js";

/**
 * How many bytes may wait, unsent, for one browser before it is dropped (default of
 * {@link EventHubOptions.maxBacklogBytes}): 4 MiB, many announcements' worth.
 */
export const MAX_EVENT_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Options of {@link EventHub}. */
export interface EventHubOptions {
  /** A comment line every this many ms keeps idle connections open (default 15 s). */
  readonly heartbeatMs?: number;
  /**
   * When an event is to be sent to a browser whose connection is full (its last write
   * returned false) with more than this many bytes still unsent, the browser is dropped
   * (default {@link MAX_EVENT_BACKLOG_BYTES}).
   */
  readonly maxBacklogBytes?: number;
}

/** The browsers' open event streams. */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #maxBacklog: number;
  #dropped = 0;

  /** Starts the hub (see {@link EventHubOptions}). */
  constructor(options: EventHubOptions = {}) {
    this.#maxBacklog = options.maxBacklogBytes ?? MAX_EVENT_BACKLOG_BYTES;
    this.#heartbeat = setInterval(() => this.#write(": ping\n\n"), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  /** How many browsers listen. */
  get size(): number {
    return this.#clients.size;
  }

  /** How many browsers were dropped because they did not read. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Makes `response` an event stream and sends it `first` (the current state) at once. */
  open(response: ServerResponse, first: { event: string; data: unknown }): void {
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    response.write("retry: 1000\n\n");
    response.write(frame(first.event, toJson(first.data)));
    this.#clients.add(response);
    response.on("close", () => this.#clients.delete(response));
  }

  /** Sends one event to every browser. */
  send(event: string, data: unknown): void {
    if (this.#clients.size > 0) this.#write(frame(event, toJson(data)));
  }

  /** Sends one event whose data is JSON text already (one line) to every browser. */
  sendJson(event: string, json: string): void {
    if (this.#clients.size > 0) this.#write(frame(event, json));
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #write(text: string): void {
    for (const client of this.#clients) {
      // writableLength: what the response and its socket still hold, unsent.
      if (client.writableNeedDrain && client.writableLength > this.#maxBacklog) {
        this.#clients.delete(client);
        this.#dropped++;
        client.destroy();
      } else {
        client.write(text);
      }
    }
  }
}

function frame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}
