/**
 * Raw HTTP for the dashboard tests: requests whose path is sent exactly as written (no
 * client-side normalisation of `..`), and a Server-Sent Events reader.
 */
import { request } from "node:http";

/** A response: status, headers and body text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends one request to 127.0.0.1:`port` with `path` as is. */
export function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** GETs `path` and parses the JSON body. */
export async function getJson<T = unknown>(port: number, path: string): Promise<T> {
  const response = await raw(port, path);
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
  return JSON.parse(response.body) as T;
}

/** One Server-Sent Event. */
export interface ServerEvent {
  readonly event: string;
  readonly data: unknown;
  /** When it arrived, in epoch milliseconds. */
  readonly at: number;
}

/** Reads the dashboard's event stream; `next` waits for a matching event. */
export class EventReader {
  readonly events: ServerEvent[] = [];
  #waiters: { match: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];
  #close: () => void = () => undefined;
  readonly #consumed = new Set<ServerEvent>();

  /** Connects to `/api/events`; resolves once the first event arrived. */
  static async open(port: number): Promise<EventReader> {
    const reader = new EventReader();
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/api/events" }, (res) => {
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            reader.#take(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
          }
          resolve();
        });
      });
      req.on("error", reject);
      req.end();
      reader.#close = () => req.destroy();
    });
    return reader;
  }

  #take(block: string): void {
    let event = "message";
    let data: string | undefined;
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    if (data === undefined) return;
    const received: ServerEvent = {
      event,
      data: JSON.parse(data),
      at: performance.timeOrigin + performance.now(),
    };
    this.events.push(received);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(received)) return true;
      w.resolve(received);
      return false;
    });
  }

  /**
   * Waits until the dashboard has announced its first revision, and returns it. A stream
   * opened after that announcement learns the revision from its "hello" instead.
   */
  async firstRevision(): Promise<number> {
    const hello = await this.next<{ revision: number }>("hello");
    if (hello.data.revision > 0) return hello.data.revision;
    return (await this.next<{ revision: number }>("project")).data.revision;
  }

  /**
   * The first event (not returned before) named `event` for which `match` holds, waiting up
   * to `timeoutMs`.
   */
  next<T = unknown>(
    event: string,
    match: (data: T) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerEvent & { data: T }> {
    const test = (e: ServerEvent) => e.event === event && match(e.data as T);
    const earlier = this.events.find((e) => !this.#consumed.has(e) && test(e));
    if (earlier !== undefined) {
      this.#consumed.add(earlier);
      return Promise.resolve(earlier as ServerEvent & { data: T });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${event}" event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        match: test,
        resolve: (e) => {
          clearTimeout(timer);
          this.#consumed.add(e);
          resolve(e as ServerEvent & { data: T });
        },
      });
    });
  }

  /** Closes the stream. */
  close(): void {
    this.#close();
  }
}
