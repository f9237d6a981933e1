/** Cancelling a run: unsubscribing from run$(), or aborting run({ signal }). */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { filter, map, take } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Flow, LazyProject, type TaskContext, task } from "../../src/flow/index.js";
import { LocalStorage, MemoryStorage, Project } from "../../src/index.js";
import { tempDir } from "../helpers/fixtures.js";

afterEach(() => MemoryStorage.clear());

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A task that waits until released, recording the signal it was given. */
function waiting() {
  const seen: { signal?: AbortSignal; release?: (value: number) => void } = {};
  const fn = task("Wait", function (this: TaskContext) {
    seen.signal = this.signal;
    return new Promise<number>((resolve) => {
      seen.release = resolve;
    });
  });
  return { fn, seen };
}

describe("unsubscribing from run$()", () => {
  it("aborts the running task's signal and starts no task afterwards", async () => {
    const { fn, seen } = waiting();
    let after = 0;
    const flow = new Flow("Cancel", () => {
      task("After", (_wait: number) => {
        after += 1;
      }).bind(fn.bind());
    });
    const events: string[] = [];
    const subscription = flow.run$().subscribe((e) => events.push(`${e.type} ${e.task.name}`));
    await tick();
    expect(seen.signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(seen.signal?.aborted).toBe(true);
    seen.release?.(1);
    await tick();
    expect(after).toBe(0);
    expect(events).toEqual(["started Wait"]);
  });

  it("cancels a retry that waits for its delay", () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    let attempts = 0;
    const flow = new Flow("Retry", () => {
      task(
        "Flaky",
        (): number => {
          attempts += 1;
          throw new Error("not yet");
        },
        { retries: 3, retryDelay: 1_000 },
      ).bind();
    });
    const subscription = flow.run$({ scheduler }).subscribe((e) => {
      if (e.type === "retrying") subscription.unsubscribe();
    });
    scheduler.flush();
    expect(attempts).toBe(1);
    expect(scheduler.actions).toEqual([]);
  });

  it("lets the process exit at once, with a task pending forever and a retry a minute away", () => {
    const script = fileURLToPath(new URL("./scripts/cancelled.ts", import.meta.url));
    const started = Date.now();
    const child = spawnSync(process.execPath, ["--import", "tsx", script], {
      encoding: "utf8",
      timeout: 25_000,
    });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe("cancelled\n");
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});

describe("run({ signal })", () => {
  it("rejects with the signal's reason, aborting running tasks", async () => {
    const { fn, seen } = waiting();
    const flow = new Flow("Abort", () => {
      fn.bind();
    });
    const controller = new AbortController();
    const state = flow.run({ signal: controller.signal });
    await tick();
    controller.abort(new Error("stop"));
    await expect(state).rejects.toThrow("stop");
    expect(seen.signal?.aborted).toBe(true);
  });

  it("runs nothing when the signal is already aborted", async () => {
    let calls = 0;
    const flow = new Flow("Aborted", () => {
      task("Count", () => ++calls).bind();
    });
    await expect(flow.run({ signal: AbortSignal.abort(new Error("too late")) })).rejects.toThrow(
      "too late",
    );
    expect(calls).toBe(0);
  });

  it("abandons a save that has not replaced the file: the file stays as it was", async () => {
    const fpath = join(tempDir("lazyscribe-cancel-"), "project.json");
    const before = await Project.open(fpath, { mode: "w", author: "bob" });
    before.log("Kept", (exp) => exp.logMetric("x", 1));
    await before.save();
    const bytes = readFileSync(fpath);
    const flow = new Flow("Save", () => {
      const project = new LazyProject({ fpath, author: "alice" }).bind();
      project.log("New", (exp) => exp.logMetric("y", 2));
      project.save();
    });
    const controller = new AbortController();
    flow
      .run$({ signal: controller.signal })
      .pipe(
        filter((e) => e.type === "started" && e.task.name === "Save project"),
        take(1),
        map(() => queueMicrotask(() => controller.abort())),
      )
      .subscribe();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(controller.signal.aborted).toBe(true);
    expect(readFileSync(fpath).equals(bytes)).toBe(true);
    expect(readdirSync(join(fpath, ".."))).toEqual(["project.json"]);
  });
});

describe("Project.save({ signal }) and Storage.update(..., { signal })", () => {
  it("a local update aborted before the rename leaves the file and no temporary file", async () => {
    const dir = tempDir("lazyscribe-cancel-");
    const storage = new LocalStorage();
    const path = join(dir, "f.json");
    await storage.write(path, "old");
    const controller = new AbortController();
    await expect(
      storage.update(
        path,
        () => {
          controller.abort(new Error("cancelled"));
          return "new";
        },
        { signal: controller.signal },
      ),
    ).rejects.toThrow(/cancelled/);
    expect(readFileSync(path, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["f.json"]);
  });

  it("a memory update aborted before the store leaves the file", async () => {
    const storage = new MemoryStorage();
    await storage.write("cancel/f.json", "old");
    const controller = new AbortController();
    const update = storage.update(
      "cancel/f.json",
      () => {
        controller.abort(new Error("cancelled"));
        return "new";
      },
      { signal: controller.signal },
    );
    await expect(update).rejects.toThrow("cancelled");
    expect(new TextDecoder().decode(await storage.read("cancel/f.json"))).toBe("old");
  });

  it("a project save aborted before it starts writes nothing", async () => {
    const project = await Project.open("memory://cancel/p.json", { mode: "w" });
    project.log("E");
    await expect(project.save({ signal: AbortSignal.abort(new Error("no")) })).rejects.toThrow(
      "no",
    );
    expect(await new MemoryStorage().read("cancel/p.json")).toBeUndefined();
  });
});
