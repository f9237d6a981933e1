/**
 * `serveDashboard`: the live web dashboard of a project (and of a flow), on Node's `http`
 * module, bound to 127.0.0.1 unless told otherwise.
 *
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { defer, type Observable, Subscription, tap } from "rxjs";
import { LazyscribeError } from "../errors.js";
import type { ProjectEvent } from "../model/events.js";
import { Project } from "../project/project.js";
import { resolveLocation, type StorageOptions } from "../storage/index.js";
import { loadAssets } from "./assets.js";
import { type DashboardFlow, type DashboardTaskEvent, FlowView } from "./flowView.js";
import { EventHub } from "./hub.js";
import { type LiveExperimentEvent, LiveExperiments } from "./liveExperiments.js";
import { LiveHistory } from "./liveHistory.js";
import { ProjectFileReader } from "./projectFile.js";
import { ProjectView } from "./projectView.js";
import { type RouteContext, route } from "./routes.js";
import { readSummaryPreview } from "./summaryPreview.js";

/** Options of {@link serveDashboard}. */
export interface DashboardOptions {
  /** The project to show; its file is watched for changes by other processes. */
  readonly project?: Project;
  /**
   * A local project file to show without opening it as a {@link Project} (what `lazyscribe
   * serve` does): the dashboard serves at once, reads the file meanwhile (the event stream's
   * `hello` says `loading: true`; the project's routes answer once it is read), then reads
   * again only the records that changed. Ignored when `project` is given.
   */
  readonly file?: string;
  /** A flow whose graph to show; runs passed to `dashboard.track(...)` update it live. */
  readonly flow?: DashboardFlow;
  /** The port (default 0: any free port; see `dashboard.port`). */
  readonly port?: number;
  /** The address to bind (default `127.0.0.1`: this machine only). */
  readonly host?: string;
  /** Watch the project file for changes (default true). */
  readonly watch?: boolean;
  /**
   * How many bytes of events may wait, unsent, for one browser whose connection is full
   * before that browser is dropped (default 4 MiB). A dropped
   * browser reconnects on its own and catches up from the current revision.
   */
  readonly maxEventBacklogBytes?: number;
}

/** A running dashboard. */
export interface Dashboard {
  /** Where to open it, e.g. `http://127.0.0.1:8765/`. */
  readonly url: string;
  /** The address it is bound to. */
  readonly host: string;
  /** The port it listens on. */
  readonly port: number;
  /**
   * Mirrors a run of the served flow on the dashboard: returns `run$` (for instance
   * `flow.run$()`) with the task states, the projects it opens and their streamed metrics
   * pushed to every browser as the run goes.
   */
  track<E extends DashboardTaskEvent>(run$: Observable<E>): Observable<E>;
  /** Stops the server, its event streams and its file watch. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

function allowedHosts(host: string, port: number): Set<string> | undefined {
  if (!LOOPBACK.test(host)) return undefined;
  const names = ["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host];
  return new Set(names.map((name) => `${name}:${port}`));
}

/**
 * Serves the dashboard of a project (or of a flow's project) until `close()`.
 *
 * The page shows the experiments as a sortable, filterable table, a chart per metric, line
 * charts for series metrics, each experiment's parameters, tests and artifacts, and the
 * flow's graph. It updates without a reload, over Server-Sent Events, when the project file
 * changes on disk and while a tracked run goes.
 *
 * @example
 * ```ts
 * const dashboard = await serveDashboard({ project, port: 8765 });
 * console.log(`open ${dashboard.url}`);
 * ```
 * @throws LazyscribeError without a project or a flow; the listen error (port in use...)
 */
export async function serveDashboard(options: DashboardOptions): Promise<Dashboard> {
  if (options.project === undefined && options.flow === undefined && options.file === undefined) {
    throw new LazyscribeError("serveDashboard needs a project, a file or a flow");
  }
  const host = options.host ?? "127.0.0.1";
  const view = new ProjectView();
  const hub = new EventHub({ maxBacklogBytes: options.maxEventBacklogBytes });
  const history = new LiveHistory();
  const live = new LiveExperiments();
  const flow = options.flow === undefined ? undefined : new FlowView(options.flow);
  const subscriptions = new Subscription();
  const attached = new Set<Project>();
  let reader: ProjectFileReader | undefined;
  let projectTimer: NodeJS.Timeout | undefined;
  let liveBatch: object[] = [];
  let liveTimer: NodeJS.Timeout | undefined;

  const announceNow = () => {
    clearTimeout(projectTimer);
    projectTimer = undefined;
    const revision = view.loading ? undefined : view.announce();
    if (revision !== undefined) hub.sendJson("project", revision);
  };
  /** Changes in this process come in bursts (a log, its metrics): one revision for a burst. */
  const announceProject = () => {
    projectTimer ??= setTimeout(announceNow, 10);
  };
  const pushLive = (event: ProjectEvent | LiveExperimentEvent) => {
    liveBatch.push({ ...event, seq: history.add(event) });
    liveTimer ??= setTimeout(() => {
      liveTimer = undefined;
      const batch = liveBatch;
      liveBatch = [];
      hub.send("live", batch);
    }, 50);
  };

  let serving = () => {};
  /** Resolved once the server listens with its files loaded: the file is read from then. */
  const started = new Promise<void>((resolve) => {
    serving = resolve;
  });
  let watched: string | undefined;
  /** The local path of the file read, for the previews of its records. */
  let localPath: string | undefined;
  /** Reads `fpath` into the view, and again as it changes, when it is a local file. */
  const readProjectFile = (
    fpath: string,
    storageOptions: StorageOptions,
    missingIsEmpty: boolean,
  ) => {
    const { storage, path } = resolveLocation(fpath, storageOptions);
    if (storage.protocol !== "file") return false;
    watched = fpath;
    localPath = path;
    reader = new ProjectFileReader({
      fpath,
      path,
      view,
      missingIsEmpty,
      watch: options.watch !== false,
      start: started,
      onRead: () => {
        announceNow(); // before the requests waiting for the first read are answered
        view.readAnnounced();
      },
    });
    return true;
  };
  const startWatching = (project: Project) => {
    if (reader !== undefined || options.watch === false) return;
    readProjectFile(project.fpath, project.storageOptions, true);
  };
  const onProjectEvent = (project: Project, event: ProjectEvent) => {
    view.changed();
    live.project(event);
    if (event.type === "saved" && project.fpath === watched) {
      reader?.reload(); // announced once the file is read back
    } else if (event.type === "experiment-logged" || event.type === "saved") {
      announceProject();
    } else {
      pushLive(event);
    }
  };
  const attach = (project: Project) => {
    if (attached.has(project)) return;
    attached.add(project);
    view.addMemory(project);
    subscriptions.add(project.events$.subscribe((event) => onProjectEvent(project, event)));
    startWatching(project);
    announceProject();
  };
  if (options.project !== undefined) {
    attach(options.project);
  } else if (options.file !== undefined && !readProjectFile(options.file, {}, false)) {
    throw new LazyscribeError(
      `serveDashboard reads a local project file, not ${options.file}: open it as a Project`,
    );
  }

  const server = createServer();
  const listening = new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const assets = await loadAssets();
  try {
    await listening;
  } catch (error) {
    reader?.close();
    throw error;
  }
  serving();
  const port = (server.address() as AddressInfo).port;
  const context: RouteContext = {
    assets,
    project: view,
    flow,
    hub,
    history,
    live,
    hosts: allowedHosts(host, port),
    preview: (count, end) =>
      localPath === undefined
        ? Promise.resolve(undefined)
        : readSummaryPreview(localPath, count, end),
  };
  server.on("request", (request, response) => route(context, request, response));

  const track = <E extends DashboardTaskEvent>(run$: Observable<E>): Observable<E> =>
    defer(() => {
      if (flow !== undefined) {
        flow.start();
        hub.send("run", { status: flow.status, seq: flow.seq });
      }
      const finish = (error?: unknown) => {
        if (flow === undefined) return;
        flow.finish(error);
        hub.send("run", { status: flow.status, seq: flow.seq });
      };
      return run$.pipe(
        tap({
          next: (event) => {
            // A task's value comes before its downstream tasks run: attach on the value.
            const value = event.type === "value" ? event.value : event.result;
            if (value instanceof Project) attach(value);
            const update = live.task(event);
            if (update !== undefined) pushLive(update);
            const state = flow?.record(event);
            if (state !== undefined) {
              hub.send("task", {
                task: state,
                finished: flow?.finished,
                run: flow?.status,
                seq: flow?.seq,
              });
            }
          },
          error: (error: unknown) => finish(error),
          complete: () => finish(),
        }),
      );
    });

  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
  return {
    url,
    host,
    port,
    track,
    close: () =>
      new Promise<void>((resolve) => {
        subscriptions.unsubscribe();
        reader?.close();
        clearTimeout(projectTimer);
        clearTimeout(liveTimer);
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
