/**
 * A whole flow that opens, appends to and saves a `memory://` project, marble-tested in RxJS's
 * stock `TestScheduler.run()`: the project's open and save are Observables that complete
 * synchronously on `memory://`, so the run stays in virtual time, and the file is written
 * (or, when the run is unsubscribed before its save, left as it was) by the time run() returns.
 */
import { buffer, connect, debounceTime, map, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Flow, LazyProject, type TaskRunEvent, task } from "../../src/flow/index.js";
import { MemoryStorage, Project } from "../../src/index.js";
import { memoryFileText } from "../helpers/memoryFiles.js";

const FILE = "stock-run/project.json";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2024-03-01T10:15:30Z") });
});
afterEach(() => {
  vi.useRealTimers();
  MemoryStorage.clear();
});

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Each event as `type task[ key]`, the events of one frame gathered into one value. */
function frames(run$: Observable<TaskRunEvent>): Observable<string[]> {
  return run$.pipe(
    map((e) => {
      const key = "key" in e && e.key !== undefined ? ` ${e.key}` : "";
      return e.type === "project" ? `project ${e.event.type}` : `${e.type} ${e.task.name}${key}`;
    }),
    connect((event$) => event$.pipe(buffer(event$.pipe(debounceTime(0))))),
  );
}

/**
 * Training (a cold Observable that gives its score at frame 2 and completes at 3), an
 * evaluation that fails, two experiments logging them, and the save.
 */
function trainingFlow(cold: TestScheduler["createColdObservable"], mode: "w" | "a" = "w"): Flow {
  return new Flow("Train and log", () => {
    const train = task("Train", () => cold("--a|", { a: 0.9 })).bind();
    const evaluate = task("Evaluate", (): number => {
      throw new Error("no holdout set");
    }).bind();
    const project = new LazyProject({ fpath: `memory://${FILE}`, mode, author: "alice" }).bind();
    project.log("Trained", (exp) => {
      exp.logMetric("score", train);
      exp.logParameter("lr", 0.1);
    });
    project.log("Evaluated", (exp) => exp.logMetric("score", evaluate));
    project.save();
  });
}

const SAVED = `[
    {
        "artifacts": [],
        "author": "alice",
        "created_at": "2024-03-01T10:15:30",
        "dependencies": [],
        "last_updated": "2024-03-01T10:15:30",
        "last_updated_by": "alice",
        "metrics": {
            "score": 0.9
        },
        "name": "Trained",
        "parameters": {
            "lr": 0.1
        },
        "short_slug": "trained",
        "slug": "trained-20240301101530",
        "tags": [],
        "tests": []
    }
]`;

/** The events of frame 0: everything up to the training stream's first value. */
const FRAME_A = [
  "started Train",
  "started Evaluate",
  "failed Evaluate",
  "started Open project",
  "value Open project",
  "started Trained",
  "value Trained",
  "succeeded Trained",
  "started Log parameter lr",
  "project parameter-logged",
  "value Log parameter lr",
  "succeeded Log parameter lr",
  "started Evaluated",
  "value Evaluated",
  "succeeded Evaluated",
  "succeeded Open project",
  "not-run Log experiment metric score",
  "not-run Append experiment",
];

/** The events of frame 2: the trained model's value, logged as the experiment's metric. */
const FRAME_B = [
  "value Train",
  "started Log experiment metric score",
  "project metric-logged",
  "value Log experiment metric score",
];

describe("a flow that saves to memory://, in stock TestScheduler.run()", () => {
  it("opens, logs, appends and saves in virtual time; the failing experiment never reaches the file", async () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(frames(trainingFlow(cold).run$())).toBe("a-b(c|)", {
        a: FRAME_A,
        b: FRAME_B,
        c: [
          "succeeded Train",
          "succeeded Log experiment metric score",
          "started Append experiment",
          "project experiment-logged",
          "value Append experiment",
          "succeeded Append experiment",
          "started Save project",
          "project saved",
          "value Save project",
          "succeeded Save project",
        ],
      });
    });
    // Written inside run(): nothing was left to settle after it.
    expect(await memoryFileText(FILE)).toBe(SAVED);
  });

  it("leaves the file as it was when the run is unsubscribed in virtual time before the save", async () => {
    const earlier = await Project.open(`memory://${FILE}`, { author: "bob" });
    earlier.log("Earlier", (exp) => exp.logMetric("score", 0.5));
    await earlier.save();
    const before = await memoryFileText(FILE);
    testScheduler().run(({ cold, expectObservable }) => {
      // Train gives its score at frame 2 and completes at 3, when the append and the save
      // would run: the run is unsubscribed at 3, before that (an unsubscription given to
      // expectObservable is scheduled before the run starts, so it comes first in its frame).
      expectObservable(frames(trainingFlow(cold, "a").run$()), "^--!").toBe("a-b", {
        a: FRAME_A,
        b: FRAME_B,
      });
    });
    expect(await memoryFileText(FILE)).toBe(before);
    expect(before).toContain('"name": "Earlier"');
  });
});
