import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, serveDashboard } from "../../src/dashboard/index.js";
import { Project } from "../../src/index.js";
import { fixture, tempDir } from "../helpers/fixtures.js";
import { getJson, raw } from "./http.js";

let dashboard: Dashboard;
let project: Project;

beforeAll(async () => {
  const fpath = join(tempDir(), "project.json");
  copyFileSync(fixture("basic", "project.json"), fpath);
  project = await Project.open(fpath, { mode: "r" });
  dashboard = await serveDashboard({ project, port: 0 });
});

afterAll(() => dashboard.close());

describe("dashboard API", () => {
  it("binds to 127.0.0.1 by default", () => {
    expect(dashboard.host).toBe("127.0.0.1");
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
  });

  it.each([
    ["/", "text/html; charset=utf-8", "<!doctype html>"],
    ["/js/main.js", "text/javascript; charset=utf-8", "lazyscribe dashboard"],
    ["/js/table.js", "text/javascript; charset=utf-8", "virtualised"],
    ["/style.css", "text/css; charset=utf-8", ":root"],
    ["/vendor/uplot.js", "text/javascript; charset=utf-8", "uPlot"],
    ["/vendor/uplot.css", "text/css; charset=utf-8", ".uplot"],
  ])("serves %s from its allow-list", async (path, type, text) => {
    const response = await raw(dashboard.port, path);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(type);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(response.body).toContain(text);
  });

  it("gives the project's records", async () => {
    const body = await getJson<{ fpath: string; experiments: unknown[]; error: null }>(
      dashboard.port,
      "/api/project",
    );
    expect(body.fpath).toBe(project.fpath);
    expect(body.error).toBeNull();
    expect(body.experiments).toEqual([...project]);
  });

  it("gives the tabular rows", async () => {
    const body = await getJson<{ experiments: unknown[]; tests: unknown[] }>(
      dashboard.port,
      "/api/tabular",
    );
    expect({ experiments: body.experiments, tests: body.tests }).toEqual(project.toTabular());
  });

  it("gives one experiment by slug or short slug", async () => {
    const bySlug = await getJson<{ name: string }>(
      dashboard.port,
      "/api/experiments/second-run-20240302080000",
    );
    const byShort = await getJson<{ name: string }>(dashboard.port, "/api/experiments/second-run");
    expect(bySlug.name).toBe("Second run");
    expect(byShort).toEqual(bySlug);
  });

  it("answers 404 for an unknown experiment", async () => {
    const response = await raw(dashboard.port, "/api/experiments/nope");
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: "not found" });
  });

  it("answers 404 for a flow when none is served", async () => {
    expect((await raw(dashboard.port, "/api/flow")).status).toBe(404);
  });

  it.each([
    "/../package.json",
    "/../../../../etc/passwd",
    "/%2e%2e/package.json",
    "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/..%2fpackage.json",
    "/vendor/../package.json",
    "/vendor/../../package.json",
    "/app.js/../../package.json",
    "/vendor/uplot.js/../../../package.json",
    "//etc/passwd",
    "/assets/app.js",
    "/src/dashboard/serve.ts",
    "/node_modules/uplot/package.json",
    "/vendor/uPlot.iife.min.js",
    "/index.html",
    "/api/experiments/..%2f..%2fpackage.json",
    "/api/experiments/%E0%A4%A",
    "/app.js%00.html",
    "/app.js",
    "/js/../package.json",
    "/js/main.js/../../package.json",
    "/js/nothing.js",
    "/js/main",
    "/js/",
    "/assets/js/main.js",
  ])("answers 404 to %s", async (path) => {
    const response = await raw(dashboard.port, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('"name": "lazyscribe"');
  });

  it("serves every module of the page, each of which the page can import", async () => {
    const { MODULES } = await import("../../src/dashboard/assets.js");
    const folder = new URL("../../src/dashboard/assets/js/", import.meta.url);
    const files = readdirSync(folder).map((f) => f.replace(/\.js$/, ""));
    expect([...MODULES].sort()).toEqual(files.sort());
    let imports = 0;
    for (const name of MODULES) {
      const response = await raw(dashboard.port, `/js/${name}.js`);
      expect(response.status, name).toBe(200);
      for (const [, imported] of response.body.matchAll(/from "\.\/([\w]+)\.js"/g)) {
        expect(MODULES, `${name}.js imports ${imported}.js`).toContain(imported);
        imports++;
      }
    }
    expect(imports).toBeGreaterThan(20);
  });

  it("never answers a backslash path with a file", async () => {
    const response = await raw(dashboard.port, "\\..\\package.json");
    expect([400, 404]).toContain(response.status);
  });

  it("refuses methods other than GET and HEAD", async () => {
    const response = await raw(dashboard.port, "/api/project", { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });

  it("refuses a foreign Host header (DNS rebinding)", async () => {
    const response = await raw(dashboard.port, "/api/project", {
      headers: { Host: "attacker.example:80" },
    });
    expect(response.status).toBe(403);
  });

  it("accepts localhost as the Host", async () => {
    const response = await raw(dashboard.port, "/api/project", {
      headers: { Host: `localhost:${dashboard.port}` },
    });
    expect(response.status).toBe(200);
  });

  it("sends NaN and infinities as strings", async () => {
    const fpath = join(tempDir(), "nan.json");
    const written = await Project.open(fpath, { mode: "w", author: "a" });
    written.log("Odd values", (exp) => {
      exp.logMetric("nan", Number.NaN);
      exp.logMetric("inf", Number.NEGATIVE_INFINITY);
    });
    await written.save();
    const other = await serveDashboard({ project: await Project.open(fpath, { mode: "r" }) });
    try {
      const body = await getJson<{ experiments: { metrics: object }[] }>(
        other.port,
        "/api/project",
      );
      expect(body.experiments[0]?.metrics).toEqual({ nan: "NaN", inf: "-Infinity" });
    } finally {
      await other.close();
    }
  });

  it("needs a project or a flow", async () => {
    await expect(serveDashboard({})).rejects.toThrow(
      "serveDashboard needs a project, a file or a flow",
    );
  });
});
