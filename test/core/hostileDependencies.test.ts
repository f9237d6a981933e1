import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LazyscribeError, NotFoundError, Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

/** A project file someone else wrote, whose one experiment names `dependencies`. */
function hostileFile(dependencies: string[]): string {
  const fpath = join(tempDir(), "project.json");
  const record = {
    name: "x",
    author: "mallory",
    last_updated_by: "mallory",
    metrics: {},
    parameters: {},
    created_at: "2024-01-01T00:00:00",
    last_updated: "2024-01-01T00:00:00",
    dependencies,
    short_slug: "x",
    slug: "x-20240101000000",
    tests: [],
    artifacts: [],
    tags: [],
  };
  writeFileSync(fpath, JSON.stringify([record]));
  return fpath;
}

/** An HTTP server standing in for an S3 endpoint, recording every request it gets. */
async function recordingServer(): Promise<{ url: string; requests: string[]; close(): void }> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.statusCode = 403;
    res.end("<Error><Code>AccessDenied</Code></Error>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => server.close() };
}

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe("a project file from someone else: dependencies are data, not commands", () => {
  it("opening it (mode r, a, w+) and listing it send no request and read no other file", async () => {
    const server = await recordingServer();
    servers.push(server);
    const storageOptions = {
      endpoint: server.url,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIDUSER", secretAccessKey: "secret" },
    };
    const fpath = hostileFile(["s3://attacker-bucket/x.json|slug", "/etc/passwd|x"]);
    for (const mode of ["r", "a", "w+"] as const) {
      const project = await Project.open(fpath, { mode, storageOptions });
      const [experiment] = project.experiments;
      expect(experiment?.dependencyRefs).toEqual([
        "s3://attacker-bucket/x.json|slug",
        "/etc/passwd|x",
      ]);
      expect(project.toTabular().experiments).toHaveLength(1);
      expect([...project][0]?.dependencies).toEqual([
        "s3://attacker-bucket/x.json|slug",
        "/etc/passwd|x",
      ]);
    }
    expect(server.requests).toEqual([]);
    // Asking for them is what reaches out: the same file then does send the request.
    const project = await Project.open(fpath, { mode: "r", storageOptions });
    await expect(project.experiments[0]?.loadDependencies()).rejects.toThrow(LazyscribeError);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.includes("attacker-bucket"))).toBe(true);
  });

  it("reading them before they are loaded says how, without touching anything", async () => {
    const project = await Project.open(hostileFile(["/etc/passwd|x"]), { mode: "r" });
    const [experiment] = project.experiments;
    expect(() => experiment?.dependencies).toThrow(
      'the dependencies of experiment "x-20240101000000" (/etc/passwd|x) are not loaded: call `await experiment.loadDependencies()` first',
    );
  });

  it("an error names the other file and the cause, never its content", async () => {
    const project = await Project.open(hostileFile(["/etc/passwd|x"]), { mode: "r" });
    const error = await project.experiments[0]?.loadDependencies().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LazyscribeError);
    expect((error as Error).message).toBe(
      `${project.fpath}, record 0: dependency "/etc/passwd|x": /etc/passwd could not be opened as a project file (it is not a valid project file)`,
    );
    expect((error as Error).cause).toBeUndefined();
    expect(String((error as Error).stack)).not.toContain("root:");
  });

  it("a missing one is a NotFoundError when asked for, and opening still works", async () => {
    const dir = tempDir();
    const project = await Project.open(hostileFile([`${join(dir, "gone.json")}|x`]), {
      mode: "r",
    });
    await expect(project.experiments[0]?.loadDependencies()).rejects.toBeInstanceOf(NotFoundError);
  });
});
