/**
 * A browser that does not read its event stream is dropped once its unsent events pass the
 * backlog limit, so the dashboard's memory stays bounded; browsers that read get every event,
 * and a dropped browser that reconnects catches up from the current revision.
 */
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EventHub } from "../../src/dashboard/hub.js";
import { serveDashboard } from "../../src/dashboard/index.js";
import { Project } from "../../src/index.js";
import { EventReader, getJson } from "./http.js";

const FRAME = "x".repeat(64 * 1024);
const LIMIT = 256 * 1024;

/** An HTTP server whose /api/events streams are the hub's, greeted with the current revision. */
async function hubServer(maxBacklogBytes: number) {
  const hub = new EventHub({ maxBacklogBytes });
  let revision = 0;
  const server: Server = createServer((_request, response) => {
    hub.open(response, { event: "hello", data: { revision } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hub,
    port,
    announce: () => {
      revision++;
      hub.send("project", { revision, padding: FRAME });
    },
    close: () =>
      new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Opens /api/events on a raw socket that never reads. */
async function neverReading(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  socket.pause();
  return socket;
}

/** Reads what is left of a paused socket, to its end: how many bytes it got in all. */
function drain(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    let bytes = 0;
    socket.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.once("close", () => resolve(bytes));
    socket.resume();
  });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe("the event hub's bounded backlog", () => {
  it("drops a browser that never reads, keeps one that reads, and the dropped one catches up on reconnect", async () => {
    const server = await hubServer(LIMIT);
    cleanup.push(server.close);
    const reader = await EventReader.open(server.port);
    cleanup.push(() => reader.close());
    const stalled = await neverReading(server.port);
    cleanup.push(() => {
      stalled.destroy();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.hub.size).toBe(2);

    // 64 MiB in all, far past what the kernel buffers of one connection hold.
    const SENDS = 1024;
    let sent = 0;
    while (sent < SENDS && server.hub.dropped === 0) {
      server.announce();
      sent++;
      // The reading browser keeps up: it has each event before the next is sent.
      await reader.next<{ revision: number }>("project", (d) => d.revision === sent);
    }
    expect(server.hub.dropped).toBe(1);
    expect(server.hub.size).toBe(1);
    for (let i = 0; i < 5; i++) {
      server.announce();
      sent++;
      await reader.next<{ revision: number }>("project", (d) => d.revision === sent);
    }
    expect(server.hub.size).toBe(1);
    expect(
      reader.events
        .filter((e) => e.event === "project")
        .map((e) => (e.data as { revision: number }).revision),
    ).toEqual(Array.from({ length: sent }, (_, i) => i + 1));

    // The stalled browser's stream was ended: what it could still read is bounded by the
    // kernel's buffers and the limit, not by what was announced.
    const received = await drain(stalled);
    expect(received).toBeLessThan(sent * FRAME.length);

    const again = await EventReader.open(server.port);
    cleanup.push(() => again.close());
    expect((await again.next<{ revision: number }>("hello")).data.revision).toBe(sent);
  }, 60_000);

  it("sends an event larger than the limit whole, to a browser that reads it", async () => {
    const server = await hubServer(1024);
    cleanup.push(server.close);
    const reader = await EventReader.open(server.port);
    cleanup.push(() => reader.close());
    server.hub.send("big", { padding: "y".repeat(2 * 1024 * 1024) });
    const big = await reader.next<{ padding: string }>("big");
    expect(big.data.padding).toHaveLength(2 * 1024 * 1024);
    server.announce();
    await reader.next<{ revision: number }>("project", (d) => d.revision === 1);
    expect(server.hub.dropped).toBe(0);
    expect(server.hub.size).toBe(1);
  }, 60_000);
});

describe("serveDashboard with a browser that never reads", () => {
  it("drops it (maxEventBacklogBytes) while values stream, and a new stream starts at the current revision", async () => {
    const project = await Project.open("memory://backlog/project.json", {
      mode: "w",
      author: "tester",
    });
    const dashboard = await serveDashboard({ project, maxEventBacklogBytes: 64 * 1024 });
    cleanup.push(() => dashboard.close());
    const stalled = await neverReading(dashboard.port);
    cleanup.push(() => {
      stalled.destroy();
    });
    const value = "v".repeat(512 * 1024);
    const BATCHES = 48; // 24 MiB of streamed values, past the kernel buffers of a connection
    await project.log("streaming", async (exp) => {
      for (let i = 0; i < BATCHES; i++) {
        exp.logParameter(`p${i}`, value);
        // One live batch per value (the dashboard batches every 50 ms).
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    });
    // Dropped: its stream ends once it reads what the kernel still held for it.
    const received = await drain(stalled);
    expect(received).toBeLessThan(BATCHES * value.length);
    // The log's last batch is announced after the log returns: wait until the revision settles.
    let revision = -1;
    for (;;) {
      const now = (await getJson<{ revision: number }>(dashboard.port, "/api/project")).revision;
      if (now === revision) break;
      revision = now;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const fresh = await EventReader.open(dashboard.port);
    cleanup.push(() => fresh.close());
    expect((await fresh.next<{ revision: number }>("hello")).data.revision).toBe(revision);
  }, 60_000);
});
